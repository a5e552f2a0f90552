namespace MiniShop.Infrastructure.Identity;

public sealed record TokenPair(string AccessToken, DateTimeOffset AccessTokenExpiresAt, string RefreshToken, DateTimeOffset RefreshTokenExpiresAt, string TokenType = "Bearer");

public sealed record MemberLoginResult(TokenPair Tokens, string MemberId, string? LevelId, bool IsNewMember);

public sealed record AdminLoginResult(TokenPair Tokens, string OperatorId, string DisplayName, IReadOnlyList<string> Roles, IReadOnlyList<string> ShopIds);
