namespace OCI.HumanEval;

/// <summary>What the model is told after a failed round.</summary>
public enum FeedbackMode
{
    /// <summary>Compiler errors only: what the editor knows of generated code when there are no tests (the honest setting).</summary>
    Compile,
    /// <summary>Compiler errors and the failing test's assertion ("Execution result: …"), as the OpenCodeInterpreter paper did.</summary>
    Tests,
}
