namespace TextTools;

/// <summary>Turns titles into URL slugs: "Hello, World!" → "hello-world".</summary>
public static class Slug
{
    public static string From(string title)
    {
        // StringBuilder lives in System.Text, which this file forgot to import (CS0246):
        // `oci refine samples/FixDiagnostic --file src/TextTools/Slug.cs --kind fixDiagnostic` repairs it with Roslyn's own fix.
        var slug = new StringBuilder(title.Length);
        var pendingDash = false;
        foreach (var character in title)
        {
            if (char.IsLetterOrDigit(character))
            {
                if (pendingDash && slug.Length > 0) slug.Append('-');
                slug.Append(char.ToLowerInvariant(character));
                pendingDash = false;
            }
            else
            {
                pendingDash = true;
            }
        }
        return slug.ToString();
    }
}
