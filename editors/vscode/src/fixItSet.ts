// The verified fix-its of each document, as the server sent them (oci/fixIts, schemas/fixits.schema.json). Pure
// logic, no vscode API, so it is unit-tested: a set is valid only for its document version.

export interface LspPosition { line: number; character: number }
export interface LspRange { start: LspPosition; end: LspPosition }

export interface FixIt {
  range: LspRange;
  title: string;
  diagnosticCode?: string | null;
  /** An LSP WorkspaceEdit (versioned documentChanges, or changes). */
  edit: unknown;
}

export interface FixItsParams {
  textDocument: { uri: string; version: number };
  fixIts: FixIt[];
}

export class FixItSet {
  private readonly sets = new Map<string, { version: number; fixIts: FixIt[] }>();

  /** Takes a notification; false when it is malformed. An empty list withdraws the document's set. */
  update(params: FixItsParams): boolean {
    if (!params || typeof params.textDocument?.uri !== 'string' || typeof params.textDocument.version !== 'number'
      || !Array.isArray(params.fixIts)) {
      return false;
    }
    if (params.fixIts.length === 0) this.sets.delete(params.textDocument.uri);
    else this.sets.set(params.textDocument.uri, { version: params.textDocument.version, fixIts: params.fixIts });
    return true;
  }

  /** The document changed: its fix-its no longer apply. True when there were some. */
  withdraw(uri: string): boolean {
    return this.sets.delete(uri);
  }

  /** The fix-its for this exact version (none for any other), one per error line. */
  get(uri: string, version: number): FixIt[] {
    const set = this.sets.get(uri);
    if (!set || set.version !== version) return [];
    const seen = new Set<number>();
    return set.fixIts.filter(f => !seen.has(f.range.start.line) && (seen.add(f.range.start.line), true));
  }

  /** The fix-it on `line`, else the nearest one in the document. */
  nearest(uri: string, version: number, line: number): FixIt | undefined {
    let best: FixIt | undefined;
    for (const fixIt of this.get(uri, version)) {
      if (!best || Math.abs(fixIt.range.start.line - line) < Math.abs(best.range.start.line - line)) best = fixIt;
    }
    return best;
  }
}

/** The CodeLens text over the error line. */
export function lensTitle(fixIt: FixIt, key: string): string {
  return `$(check) ${fixIt.title} · ${key} to apply`;
}
