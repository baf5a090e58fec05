export const pluginId = 'duo-security';
