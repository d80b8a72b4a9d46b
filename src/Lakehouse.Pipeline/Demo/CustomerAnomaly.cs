namespace Lakehouse.Pipeline.Demo;

/// <summary>What is wrong with a customer of batch 1.</summary>
internal enum CustomerAnomaly
{
    None,
    MessyEmail,
    NullEmail,
    Duplicate,
}
