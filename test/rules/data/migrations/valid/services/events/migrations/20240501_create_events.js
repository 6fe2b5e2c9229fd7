exports.up = (knex) => knex.schema.createTable('events', (t) => t.increments('id'));
exports.down = (knex) => knex.schema.dropTable('events');
