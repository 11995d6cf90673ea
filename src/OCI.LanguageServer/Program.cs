// Entry point: `oci` with no arguments or `--stdio` serves LSP over stdio (what vscode-languageclient passes).
// The server-core work fills this in.
return 0;
