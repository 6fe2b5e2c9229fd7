// The provider formats live in the engine (its secrets pass extracts with them); rules
// import them from here.
export * from '../../server/src/engine/secrets/providers';
