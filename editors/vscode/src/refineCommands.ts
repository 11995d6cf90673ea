// Running a refine command from the palette or the context menu: the editor's state becomes the command's arguments
// (commandArguments), the instruction of "Refine Selection" is asked for, the result goes to the log.
import * as vscode from 'vscode';
import { ExecuteCommandRequest, LanguageClient } from 'vscode-languageclient/node';
import {
  ArgumentError, EditorDiagnostic, RefineCommand, RefineCommandArguments, buildRefineArguments,
} from './commandArguments';

/** What the server answers to a refine command (schemas/command-result.schema.json). */
export interface RefineCommandResult {
  applied: boolean;
  /** An unverified candidate was offered for confirmation (or only named), never applied by itself. */
  offered?: boolean;
  verified: boolean;
  summary: string;
  roundsUsed: number;
  stopReason: string;
  conversationId?: string | null;
}

/** Builds the arguments from the active editor and sends the command; what goes wrong is shown, never thrown. */
export async function runRefineCommand(
  client: LanguageClient | undefined, command: RefineCommand, title: string, output: vscode.LogOutputChannel,
): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.document.languageId !== 'csharp') {
    void vscode.window.showErrorMessage('OCI: open a C# file first.');
    return;
  }
  if (!client || !client.isRunning()) {
    void vscode.window.showErrorMessage('OCI: the language server is not running (see the OCI Language Server output).');
    return;
  }
  let instruction: string | undefined;
  if (command === 'oci.refineSelection') {
    instruction = await askInstruction();
    if (instruction === undefined) return;
  }
  let args: RefineCommandArguments;
  try {
    args = buildRefineArguments(command, {
      uri: client.code2ProtocolConverter.asUri(editor.document.uri),
      version: editor.document.version,
      selection: toRange(editor.selection),
      diagnostics: vscode.languages.getDiagnostics(editor.document.uri).map(toEditorDiagnostic),
    }, instruction);
  } catch (error) {
    if (error instanceof ArgumentError) {
      void vscode.window.showErrorMessage(`OCI: ${error.message}`);
      return;
    }
    throw error;
  }
  output.info(`${command} ${JSON.stringify(args)}`);
  try {
    const result = await client.sendRequest(ExecuteCommandRequest.type, { command, arguments: [args] });
    reportResult(output, result as RefineCommandResult | undefined);
  } catch (error) {
    void vscode.window.showErrorMessage(`OCI ${title} failed: ${(error as Error).message}`);
  }
}

/** The instruction of "Refine Selection"; undefined when the user cancels. */
export async function askInstruction(): Promise<string | undefined> {
  const instruction = await vscode.window.showInputBox({
    title: 'OCI: Refine Selection',
    prompt: 'What should change in the selection?',
    placeHolder: 'e.g. use a loop instead of LINQ',
    ignoreFocusOut: true,
    validateInput: value => (value.trim() ? undefined : 'Type an instruction, or press Escape to cancel.'),
  });
  return instruction?.trim() || undefined;
}

/** The server already shows every outcome (window/showMessage), so the result only goes to the log here. */
export function reportResult(output: vscode.LogOutputChannel, result: RefineCommandResult | undefined): void {
  if (!result || typeof result.summary !== 'string') return;
  output.info(`result: ${result.stopReason}, applied ${result.applied}, offered ${result.offered ?? false}, verified ${result.verified}: ${result.summary}`);
}

function toRange(range: vscode.Range) {
  return {
    start: { line: range.start.line, character: range.start.character },
    end: { line: range.end.line, character: range.end.character },
  };
}

function toEditorDiagnostic(diagnostic: vscode.Diagnostic): EditorDiagnostic {
  return {
    range: toRange(diagnostic.range),
    severity: diagnostic.severity,
    code: diagnostic.code as EditorDiagnostic['code'],
  };
}
