using System.Security.Cryptography;

namespace OCI.Workspace.Tests.Support;

/// <summary>Every file under a folder (bin and obj included) with the SHA-256 of its bytes: proof that nothing changed.</summary>
public static class TreeSnapshot
{
    public static SortedDictionary<string, string> Take(string root)
    {
        var snapshot = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
        {
            snapshot[Path.GetRelativePath(root, file)] = Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file)));
        }
        return snapshot;
    }

    public static void AssertUnchanged(SortedDictionary<string, string> before, string root)
    {
        var after = Take(root);
        Assert.Equal(before.Keys, after.Keys);
        foreach (var (path, hash) in before) Assert.True(hash == after[path], $"{path} changed");
    }
}
