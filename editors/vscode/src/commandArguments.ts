// Builds the workspace/executeCommand arguments of schemas/PROTOCOL.md (command-arguments.schema.json)
// from what the editor knows. No vscode import: plain LSP shapes, so the unit tests run under plain node.

export interface Position { line: number; character: number }
export interface Range { start: Position; end: Position }

/** A diagnostic as the editor holds it (VS Code's code may be a number or { value, target }). */
export interface EditorDiagnostic {
  range: Range;
  severity: number; // VS Code: 0 error, 1 warning, 2 information, 3 hint
  code?: string | number | { value: string | number } | undefined;
}

export type RefineCommand = 'oci.generate' | 'oci.runAndRefine' | 'oci.fixDiagnostic' | 'oci.refineSelection';

export interface RefineCommandArguments {
  textDocument: { uri: string; version: number };
  range: Range;
  instruction?: string;
  diagnosticCode?: string;
  conversationId?: string;
}

export function comparePositions(a: Position, b: Position): number {
  return a.line !== b.line ? a.line - b.line : a.character - b.character;
}

export function rangeContains(range: Range, position: Position): boolean {
  return comparePositions(range.start, position) <= 0 && comparePositions(position, range.end) <= 0;
}

export function diagnosticCodeText(code: EditorDiagnostic['code']): string | undefined {
  if (code === undefined || code === null) return undefined;
  if (typeof code === 'object') return String(code.value);
  return String(code);
}

/**
 * The diagnostic "Fix Diagnostic" is about: among those covering the cursor, the most severe, then the
 * narrowest; when none covers it, the nearest error on the cursor's line.
 */
export function diagnosticAt(diagnostics: readonly EditorDiagnostic[], cursor: Position): EditorDiagnostic | undefined {
  const width = (r: Range) => (r.end.line - r.start.line) * 100000 + (r.end.character - r.start.character);
  const covering = diagnostics
    .filter(d => rangeContains(d.range, cursor))
    .sort((a, b) => a.severity - b.severity || width(a.range) - width(b.range));
  if (covering.length > 0) return covering[0];
  const onLine = diagnostics
    .filter(d => d.range.start.line <= cursor.line && cursor.line <= d.range.end.line)
    .sort((a, b) => a.severity - b.severity
      || Math.abs(a.range.start.character - cursor.character) - Math.abs(b.range.start.character - cursor.character));
  return onLine[0];
}

export interface EditorState {
  uri: string;
  version: number;
  /** The selection; empty (start = end) when only the cursor is placed. */
  selection: Range;
  diagnostics: readonly EditorDiagnostic[];
}

export class ArgumentError extends Error {}

/**
 * The single argument for a refine command. Fix Diagnostic targets the diagnostic under the cursor (its range and
 * code) when the editor has one there, else sends the cursor; Refine Selection needs a non-empty instruction; the others send the selection or cursor as is.
 */
export function buildRefineArguments(command: RefineCommand, editor: EditorState, instruction?: string): RefineCommandArguments {
  const args: RefineCommandArguments = {
    textDocument: { uri: editor.uri, version: editor.version },
    range: copyRange(editor.selection),
  };
  if (command === 'oci.fixDiagnostic') {
    // A diagnostic VS Code knows of narrows the request to it; without one (no C# extension, or its diagnostics
    // not in yet) the cursor range goes as it is and the server finds Roslyn's diagnostic there.
    const diagnostic = diagnosticAt(editor.diagnostics, editor.selection.start);
    if (diagnostic) {
      args.range = copyRange(diagnostic.range);
      const code = diagnosticCodeText(diagnostic.code);
      if (code) args.diagnosticCode = code;
    }
  }
  if (command === 'oci.refineSelection') {
    return withInstruction(args, instruction);
  }
  return args;
}

/** Adds the user's instruction (Refine Selection); a blank one is an error, never sent. */
export function withInstruction(args: RefineCommandArguments, instruction: string | undefined): RefineCommandArguments {
  const text = instruction?.trim();
  if (!text) throw new ArgumentError('Refine Selection needs an instruction.');
  return { ...args, instruction: text };
}

/** True when a code action's oci.refineSelection still lacks the instruction the client must ask for. */
export function needsInstruction(command: string, args: readonly unknown[] | undefined): boolean {
  if (command !== 'oci.refineSelection') return false;
  const first = args?.[0] as Partial<RefineCommandArguments> | undefined;
  return !first?.instruction || !String(first.instruction).trim();
}

function copyRange(range: Range): Range {
  return {
    start: { line: range.start.line, character: range.start.character },
    end: { line: range.end.line, character: range.end.character },
  };
}
