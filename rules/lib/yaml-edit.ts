// The YAML fix writers live in the engine (the editor's suppression edits use them too);
// rules import them from here.
export * from '../../server/src/engine/yaml-edit';
