'use strict';

const path = require('path');

const { databaseConfig } = require('../database-config');

// Strapi 4 hands the client name to knex: `mysql` would be the `mysql` driver, `mysql2` is the one installed.
module.exports = ({ env }) => databaseConfig(env, { appDir: path.resolve(__dirname, '..'), mysqlClient: 'mysql2' });
