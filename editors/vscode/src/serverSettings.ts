// The settings object the server receives (initializationOptions and workspace/configuration section oci):
// nested exactly as OciSettings, built from the flat VS Code keys that package.json contributes.

/** Setting prefixes only the client reads (client-settings.json); they are never sent to the server. */
export const clientOnlyPrefixes = ['oci.server.', 'oci.trace.'];

export function isServerSetting(key: string): boolean {
  return key.startsWith('oci.') && !clientOnlyPrefixes.some(prefix => key.startsWith(prefix));
}

/**
 * Nests flat keys ("oci.model.path") into { model: { path } } using get(key) for each value; unset nullable
 * settings come through as null, as the server's records expect.
 */
export function nestServerSettings(flatKeys: readonly string[], get: (key: string) => unknown): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const key of flatKeys.filter(isServerSetting)) {
    const parts = key.split('.').slice(1);
    let node = root;
    for (const part of parts.slice(0, -1)) {
      node = (node[part] ??= {}) as Record<string, unknown>;
    }
    const value = get(key);
    node[parts[parts.length - 1]] = value === undefined ? null : value;
  }
  return root;
}
