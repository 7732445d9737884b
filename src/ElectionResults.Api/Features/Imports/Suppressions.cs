using System.Diagnostics.CodeAnalysis;

// "Imports" is a Visual Basic keyword; this API is consumed over HTTP, never as a library from VB.
[assembly: SuppressMessage("Naming", "CA1716:Identifiers should not match keywords", Scope = "namespace",
    Target = "~N:ElectionResults.Api.Features.Imports", Justification = "Feature folder name; not a public library namespace.")]
