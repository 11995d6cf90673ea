// Turns schemas/settings.schema.json (nested, the server's OciSettings) into VS Code's flat
// contributes.configuration.properties ("oci.model.path", ...). Pure, so the unit tests and the
// C# schema test can hold it to the schema; scripts/gen-settings.js writes the result into package.json.
'use strict';

/** Keywords copied from a schema leaf into a VS Code configuration property. */
const copiedKeywords = ['type', 'default', 'description', 'enum', 'minimum', 'maximum', 'items'];

/**
 * Flattens the nested settings schema into { "oci.section.name": leafSchema } in schema order.
 * @param {object} schema settings.schema.json
 * @param {string} prefix "oci"
 */
function flattenSettingsSchema(schema, prefix = 'oci') {
  const flat = {};
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    const key = `${prefix}.${name}`;
    if (property.type === 'object' && property.properties) {
      Object.assign(flat, flattenSettingsSchema(property, key));
    } else {
      flat[key] = property;
    }
  }
  return flat;
}

/**
 * The whole contributes.configuration object: server settings from the schema, then the client-only ones.
 * @param {object} schema settings.schema.json
 * @param {object} clientSettings client-settings.json (keys starting with "$" are comments)
 */
function settingsContributions(schema, clientSettings) {
  const properties = {};
  for (const [key, leaf] of Object.entries(flattenSettingsSchema(schema))) {
    const property = {};
    for (const keyword of copiedKeywords) {
      if (leaf[keyword] !== undefined) property[keyword] = leaf[keyword];
    }
    properties[key] = property;
  }
  for (const [key, property] of Object.entries(clientSettings)) {
    if (key.startsWith('$')) continue;
    if (properties[key]) throw new Error(`client setting ${key} collides with a server setting from the schema`);
    properties[key] = property;
  }
  return { title: 'OCI', properties };
}

module.exports = { flattenSettingsSchema, settingsContributions };
