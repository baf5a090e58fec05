'use strict';

const path = require('path');

const { databaseConfig } = require('../../playground/database-config');

// The Strapi 4 playground's databases; Strapi 5 names the MySQL client `mysql` and runs it on mysql2.
module.exports = ({ env }) => databaseConfig(env, { appDir: path.resolve(__dirname, '..'), mysqlClient: 'mysql' });
