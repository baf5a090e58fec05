export const routes = {
  admin: {
    type: 'admin',
    routes: [
      {
        method: 'GET',
        path: '/info',
        handler: 'info.get',
        config: { policies: ['admin::isAuthenticatedAdmin'] },
      },
    ],
  },
};
