global using System.Text.Json.Nodes;
global using OCI.LanguageServer.Tests.EndToEnd.Support;
global using OCI.LanguageServer.Tests.Support;
global using OCI.Testing;
global using Xunit;
global using static OCI.LanguageServer.Tests.EndToEnd.Support.EndToEndAssert;
