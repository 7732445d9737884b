using System.Diagnostics.CodeAnalysis;

// "Imports" is a Visual Basic keyword; the test namespace mirrors the feature folder.
[assembly: SuppressMessage("Naming", "CA1716:Identifiers should not match keywords", Scope = "namespace",
    Target = "~N:ElectionResults.IntegrationTests.Imports", Justification = "Mirrors the feature folder.")]
