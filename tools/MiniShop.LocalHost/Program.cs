using Microsoft.Extensions.Options;
using MiniShop.Infrastructure.Demo;
using MiniShop.LocalHost;

// Usage: MiniShop.LocalHost [--urls http://localhost:7071] [--seed-demo]
var app = LocalHostBuilder.Create(new LocalHostOptions { Args = args });
await app.StartAsync();

if (args.Contains("--seed-demo"))
{
    var password = app.Services.GetRequiredService<IOptions<DemoOptions>>().Value.OperatorPassword
                   ?? throw new InvalidOperationException("Set Demo:OperatorPassword to seed the demo operators.");
    var report = await app.Services.GetRequiredService<DemoShopSeeder>().SeedAsync(password, CancellationToken.None);
    app.Logger.LogWarning("Demo data: {Created} created, {Existing} already there", report.Created, report.AlreadyThere);
}

app.Logger.LogWarning("Serving the function app on {Urls}", string.Join(", ", app.Urls));
await app.WaitForShutdownAsync();
