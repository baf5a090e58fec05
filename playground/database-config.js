'use strict';

const path = require('path');

/**
 * The database of both playgrounds (each one's config/database.js calls this). SQLite by default (the demo and most
 * tests); DATABASE_CLIENT=postgres or mysql (MySQL, MariaDB) for several instances sharing one database (the
 * multi-instance tests start a throw-away server and point two playground processes at it). `appDir` is the folder a
 * relative SQLite file name is taken from; `mysqlClient` the client name the Strapi major runs on the mysql2 driver.
 */
function databaseConfig(env, { appDir, mysqlClient }) {
  const client = env('DATABASE_CLIENT', 'sqlite');
  if (client === 'postgres') {
    return {
      connection: {
        client: 'postgres',
        connection: {
          host: env('DATABASE_HOST', '127.0.0.1'),
          port: env.int('DATABASE_PORT', 5432),
          database: env('DATABASE_NAME', 'strapi'),
          user: env('DATABASE_USERNAME', 'strapi'),
          password: env('DATABASE_PASSWORD', ''),
          schema: env('DATABASE_SCHEMA', 'public'),
          ssl: env.bool('DATABASE_SSL', false),
        },
        pool: { min: env.int('DATABASE_POOL_MIN', 0), max: env.int('DATABASE_POOL_MAX', 10) },
      },
    };
  }
  if (client === 'mysql') {
    return {
      connection: {
        client: mysqlClient,
        connection: {
          host: env('DATABASE_HOST', '127.0.0.1'),
          port: env.int('DATABASE_PORT', 3306),
          database: env('DATABASE_NAME', 'strapi'),
          user: env('DATABASE_USERNAME', 'strapi'),
          password: env('DATABASE_PASSWORD', ''),
          ssl: env.bool('DATABASE_SSL', false),
        },
        pool: { min: env.int('DATABASE_POOL_MIN', 0), max: env.int('DATABASE_POOL_MAX', 10) },
      },
    };
  }
  if (client !== 'sqlite') throw new Error(`DATABASE_CLIENT must be sqlite, postgres or mysql, not ${client}`);
  const filename = env('DATABASE_FILENAME', '.tmp/data.db');
  return {
    connection: {
      client: 'sqlite',
      connection: {
        // Relative names are taken from the playground folder, not from the process cwd.
        filename: filename === ':memory:' ? filename : path.resolve(appDir, filename),
      },
      useNullAsDefault: true,
    },
  };
}

module.exports = { databaseConfig };
