namespace OCI.Models.Tests.Support;

/// <summary>
/// Copies of the real tiny GGUFs with a <c>tokenizer.chat_template</c> added by <see cref="GgufRewriter"/> (neither
/// shipped model has one), written once per test class into a temporary folder.
/// </summary>
public sealed class TemplatedModels : IDisposable
{
    /// <summary>The standard chatml Jinja template (OpenHermes, Qwen and others ship this one).</summary>
    public const string ChatMl =
        "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}" +
        "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

    /// <summary>Meta's Llama 3 Instruct template (content trimmed, the BOS text token first).</summary>
    public const string Llama3 =
        "{% set loop_messages = messages %}{% for message in loop_messages %}{% set content = '<|start_header_id|>' + message['role'] + " +
        "'<|end_header_id|>\\n\\n'+ message['content'] | trim + '<|eot_id|>' %}{% if loop.index0 == 0 %}{% set content = bos_token + content %}" +
        "{% endif %}{{ content }}{% endfor %}{% if add_generation_prompt %}{{ '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}{% endif %}";

    /// <summary>A Jinja template with none of the markers llama.cpp recognises.</summary>
    public const string Unrecognised = "{% for m in messages %}{{ m['role'] }}: {{ m['content'] }}\\n{% endfor %}{% if add_generation_prompt %}bot: {% endif %}";

    private readonly string _directory = Directory.CreateTempSubdirectory("oci-gguf-").FullName;

    /// <summary>A copy of <paramref name="source"/> whose metadata has <paramref name="template"/> as its chat template.</summary>
    public string WithTemplate(string source, string template, string name)
    {
        var path = PathFor(name);
        if (!File.Exists(path))
        {
            GgufRewriter.WriteWithStrings(source, path, new Dictionary<string, string> { ["tokenizer.chat_template"] = template });
        }
        return path;
    }

    /// <summary>A path for a GGUF named <paramref name="name"/> in this fixture's temporary folder.</summary>
    public string PathFor(string name) => Path.Combine(_directory, name + ".gguf");

    public string StoriesChatMl => WithTemplate(TinyModels.Stories, ChatMl, "stories-chatml");

    public string StoriesLlama3 => WithTemplate(TinyModels.Stories, Llama3, "stories-llama3");

    public string Llama2TokenizerChatMl => WithTemplate(TinyModels.Llama2Tokenizer, ChatMl, "llama2-tokenizer-chatml");

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
