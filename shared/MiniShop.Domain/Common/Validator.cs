namespace MiniShop.Domain.Common;

/// <summary>Collects field errors so a request reports every wrong field at once, then throws one 400.</summary>
public sealed class Validator
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool IsValid => _errors.Count == 0;

    public Validator Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list)) _errors[field] = list = [];
        list.Add(message);
        return this;
    }

    public Validator Check(bool ok, string field, string message) => ok ? this : Add(field, message);

    public Validator Required(string? value, string field, int maxLength = 200)
    {
        if (string.IsNullOrWhiteSpace(value)) return Add(field, "is required.");
        return Check(value.Length <= maxLength, field, $"must be at most {maxLength} characters.");
    }

    public Validator Optional(string? value, string field, int maxLength)
        => Check(value is null || value.Length <= maxLength, field, $"must be at most {maxLength} characters.");

    public Validator Url(string? value, string field, bool required = false)
    {
        if (string.IsNullOrWhiteSpace(value)) return required ? Add(field, "is required.") : this;
        var ok = Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);
        return Check(ok && value.Length <= 2048, field, "must be an absolute http(s) URL.");
    }

    public IReadOnlyDictionary<string, string[]> Errors
        => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);

    public void ThrowIfInvalid()
    {
        if (!IsValid) throw new ValidationException(Errors);
    }
}
