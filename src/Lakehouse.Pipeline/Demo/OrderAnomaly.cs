namespace Lakehouse.Pipeline.Demo;

/// <summary>What is wrong with an order of batch 1 (at most one thing per order, so each is counted once).</summary>
internal enum OrderAnomaly
{
    None,
    NullCustomer,
    NegativeAmount,
    Orphan,
    Truncated,
    WrongType,
    MessyStatus,
    NullStatus,
    Duplicate,
}
