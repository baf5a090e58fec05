'use strict';

const path = require('path');

module.exports = ({ env }) => {
  const filename = env('DATABASE_FILENAME', '.tmp/data.db');
  return {
    connection: {
      client: 'sqlite',
      connection: {
        // Relative names are taken from the playground folder, not from the process cwd.
        filename: filename === ':memory:' ? filename : path.resolve(__dirname, '..', filename),
      },
      useNullAsDefault: true,
    },
  };
};
