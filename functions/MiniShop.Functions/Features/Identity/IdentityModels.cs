namespace MiniShop.Functions.Features.Identity;

public sealed record WeChatLoginRequest(string? Code);

public sealed record RefreshRequest(string? RefreshToken);

public sealed record LogoutRequest(string? RefreshToken);

public sealed record AdminLoginRequest(string? UserName, string? Password);

public sealed record TokensView(string AccessToken, DateTimeOffset AccessTokenExpiresAt, string RefreshToken, DateTimeOffset RefreshTokenExpiresAt, string TokenType);

public sealed record MemberSessionView(TokensView Tokens, string MemberId, string? LevelId, bool IsNewMember);

public sealed record AdminSessionView(TokensView Tokens, string OperatorId, string DisplayName, IReadOnlyList<string> Roles, IReadOnlyList<string> ShopIds);

public sealed record MeView(string MemberId, string? LevelId, string? LevelName, long Growth, DateTimeOffset MemberSince);

public sealed record AdminMeView(string OperatorId, IReadOnlyList<string> Roles, IReadOnlyList<string> ShopIds, bool AllShops);
