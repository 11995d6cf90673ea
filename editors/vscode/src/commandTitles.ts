// The editor's commands as package.json's contributes.commands declares them: the single source of their ids and
// titles. The palette command oci.editor.<name> runs the server's refine command oci.<name>. No vscode import, so
// the unit tests run under plain node.
import { RefineCommand } from './commandArguments';

/** One entry of contributes.commands. */
export interface ContributedCommand { command: string; title: string; category?: string }

/** A palette command that runs a server refine command, and the title the user knows it by. */
export interface PaletteRefineCommand { id: string; command: RefineCommand; title: string }

export const refineCommands: readonly RefineCommand[] = ['oci.generate', 'oci.runAndRefine', 'oci.fixDiagnostic', 'oci.refineSelection'];

const palettePrefix = 'oci.editor.';

/** The palette commands that run a server refine command, with their titles ("Refine Selection…" → "Refine Selection"). */
export function paletteRefineCommands(contributed: readonly ContributedCommand[]): PaletteRefineCommand[] {
  return contributed.flatMap(entry => {
    if (!entry.command.startsWith(palettePrefix)) return [];
    const command = `oci.${entry.command.slice(palettePrefix.length)}`;
    if (!(refineCommands as readonly string[]).includes(command)) return [];
    return [{ id: entry.command, command: command as RefineCommand, title: entry.title.replace(/…$/, '') }];
  });
}
