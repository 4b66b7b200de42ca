export * from './identifiers.js';
export * from './blueprint.js';
export * from './entity-schema.js';
export * from './blueprint-schema.js';
export * from './formats.js';
export * from './validator.js';
