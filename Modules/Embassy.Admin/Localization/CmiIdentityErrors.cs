using Microsoft.AspNetCore.Identity;

namespace Embassy.Admin.Localization;

/// <summary>Identity's messages (password rules, user names) in the editor's language.</summary>
public sealed class CmiIdentityErrors(CmiText text) : IdentityErrorDescriber
{
    public override IdentityError PasswordTooShort(int length) => Error(base.PasswordTooShort(length), "Passwords must be at least {0} characters.", length);

    public override IdentityError PasswordRequiresDigit() => Error(base.PasswordRequiresDigit(), "Passwords must have at least one digit ('0'-'9').");

    public override IdentityError PasswordRequiresLower() => Error(base.PasswordRequiresLower(), "Passwords must have at least one lowercase ('a'-'z').");

    public override IdentityError PasswordRequiresUpper() => Error(base.PasswordRequiresUpper(), "Passwords must have at least one uppercase ('A'-'Z').");

    public override IdentityError PasswordRequiresNonAlphanumeric() => Error(base.PasswordRequiresNonAlphanumeric(), "Passwords must have at least one non alphanumeric character.");

    public override IdentityError PasswordRequiresUniqueChars(int uniqueChars) => Error(base.PasswordRequiresUniqueChars(uniqueChars), "Passwords must use at least {0} different characters.", uniqueChars);

    public override IdentityError PasswordMismatch() => Error(base.PasswordMismatch(), "Incorrect password.");

    public override IdentityError DuplicateUserName(string userName) => Error(base.DuplicateUserName(userName), "Username '{0}' is already taken.", userName);

    public override IdentityError InvalidUserName(string? userName) => Error(base.InvalidUserName(userName), "Username '{0}' is invalid, can only contain letters or digits.", userName);

    public override IdentityError DuplicateRoleName(string role) => Error(base.DuplicateRoleName(role), "Role name '{0}' is already taken.", role);

    private IdentityError Error(IdentityError english, string message, params object?[] arguments) =>
        new() { Code = english.Code, Description = CmiText.Language == "en" ? english.Description : text[message, arguments] };
}
