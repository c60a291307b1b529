namespace Embassy.Content.Services.Operations;

/// <summary>
/// A content operation: one class, one entry point (<c>RunAsync</c>) that checks rights, validates, changes records,
/// raises events and audits, in that order, in one transaction (<see cref="ContentChanges.InTransactionAsync{T}"/>).
/// Every class of this assembly that implements it is registered (scoped) by the content module, so a new operation
/// is one new file; it takes the shared steps it needs: <see cref="ContentRights"/>, <see cref="ContentValidation"/>,
/// <see cref="ContentVersions"/>, <see cref="ContentChanges"/>.
/// </summary>
public interface IContentOperation;
