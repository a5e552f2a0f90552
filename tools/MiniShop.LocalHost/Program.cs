using Microsoft.Extensions.Options;
using MiniShop.Infrastructure.Demo;
using MiniShop.LocalHost;

// Usage: MiniShop.LocalHost [--urls http://localhost:7071] [--seed-demo] [--seed-only]
//   --seed-demo  seed the demo shop (idempotent), then serve
//   --seed-only  seed the demo shop and exit (used before `func start`)
var seedOnly = args.Contains("--seed-only");
var app = LocalHostBuilder.Create(new LocalHostOptions { Args = args.Where(a => a is not "--seed-demo" and not "--seed-only").ToArray(), RunTimers = !seedOnly });
await app.StartAsync();

if (seedOnly || args.Contains("--seed-demo"))
{
    var password = app.Services.GetRequiredService<IOptions<DemoOptions>>().Value.OperatorPassword
                   ?? throw new InvalidOperationException("Set Demo:OperatorPassword to seed the demo operators.");
    var report = await app.Services.GetRequiredService<DemoShopSeeder>().SeedAsync(password, CancellationToken.None);
    app.Logger.LogWarning("Demo data: {Created} created, {Existing} already there", report.Created, report.AlreadyThere);
}

if (seedOnly)
{
    await app.StopAsync();
    return;
}

app.Logger.LogWarning("Serving the function app on {Urls}", string.Join(", ", app.Urls));
await app.WaitForShutdownAsync();
