// Strapi 4 admin customisation (src/admin/app.js, picked up by the admin build): the languages an administrator
// may choose in their profile besides English. The plugin ships admin/src/translations/{en,fr,de}.json.
const config = {
  locales: ['fr', 'de'],
};

const bootstrap = () => {};

export default { config, bootstrap };
