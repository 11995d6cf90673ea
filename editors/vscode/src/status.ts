// Text of the status-bar item, from the oci/status notification (schemas/status.schema.json).

export interface OciStatus {
  state: 'none' | 'loading' | 'ready' | 'error';
  backend?: string | null;
  model?: string | null;
  message?: string | null;
  /** How generated code is contained: bubblewrap, none (no sandbox available), off, refused (required but unavailable). */
  sandbox?: 'bubblewrap' | 'none' | 'off' | 'refused' | null;
  sandboxMessage?: string | null;
}

export interface StatusPresentation { text: string; tooltip: string; isError: boolean }

const icons: Record<OciStatus['state'], string> = {
  none: '$(circle-slash)',
  loading: '$(loading~spin)',
  ready: '$(check)',
  error: '$(error)',
};

export function presentStatus(status: OciStatus): StatusPresentation {
  const state = icons[status.state] ? status.state : 'error';
  const model = status.model ? ` ${baseName(status.model)}` : '';
  // Said in the item itself, not only in the tooltip: generated code runs with the user's rights (or not at all).
  const unsandboxed = status.sandbox === 'none' || status.sandbox === 'off' ? ' $(warning) no sandbox'
    : status.sandbox === 'refused' ? ' $(error) sandbox required' : '';
  const label = (state === 'none' ? 'OCI: Roslyn fixes only' : `OCI${model}`) + unsandboxed;
  const tooltipLines = [
    `State: ${state}`,
    `Backend: ${status.backend ?? 'none'}`,
    status.model ? `Model: ${status.model}` : undefined,
    status.message ?? undefined,
    status.sandboxMessage ? `Sandbox: ${status.sandboxMessage}` : undefined,
  ].filter((line): line is string => Boolean(line));
  return { text: `${icons[state]} ${label}`, tooltip: tooltipLines.join('\n'), isError: state === 'error' || status.sandbox === 'refused' };
}

function baseName(model: string): string {
  const parts = model.split(/[\\/]/);
  return parts[parts.length - 1] || model;
}
