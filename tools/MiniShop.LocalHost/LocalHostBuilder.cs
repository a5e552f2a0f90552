using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.DependencyInjection.Extensions;
using MiniShop.Functions;
using MiniShop.Functions.Durable;
using MiniShop.Functions.Http;

namespace MiniShop.LocalHost;

public sealed class LocalHostOptions
{
    public string[] Args { get; init; } = [];

    /// <summary>Settings that win over local.settings.json and the environment (tests use these).</summary>
    public IDictionary<string, string?> Settings { get; init; } = new Dictionary<string, string?>();

    /// <summary>Replaces services after the app's registration (tests put mocks of WeChat and partners here).</summary>
    public Action<IServiceCollection>? ConfigureServices { get; init; }

    /// <summary>Where to listen, e.g. "http://127.0.0.1:0" for a free port. Defaults to http://localhost:7071.</summary>
    public string? Urls { get; init; }

    /// <summary>Run the timer-triggered functions on their schedules (./run.sh does; API tests call what they need).</summary>
    public bool RunTimers { get; init; }
}

/// <summary>Builds a Kestrel app that hosts the function app's HTTP functions with the app's own registration.</summary>
public static class LocalHostBuilder
{
    public static WebApplication Create(LocalHostOptions options)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = options.Args, ContentRootPath = AppContext.BaseDirectory });
        var root = LocalSettings.FindRepositoryRoot(Directory.GetCurrentDirectory()) ?? LocalSettings.FindRepositoryRoot(AppContext.BaseDirectory);
        if (root is not null) builder.Configuration.AddInMemoryCollection(LocalSettings.Read(Path.Combine(root, "local.settings.json")));
        builder.Configuration.AddEnvironmentVariables();
        builder.Configuration.AddCommandLine(options.Args);
        builder.Configuration.AddInMemoryCollection(options.Settings);
        builder.WebHost.UseUrls(options.Urls ?? builder.Configuration["urls"] ?? "http://localhost:7071");
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = null); // the pipeline enforces Http:MaxRequestBodyBytes

        builder.Services.AddMiniShopApp(builder.Configuration);
        // The Durable client is backed by the Durable Task in-process host: orchestrations run in this process.
        // Its gRPC sidecar would pick a random port in 30000-40000 itself, which clashes now and then with the other
        // hosts of a test run and with the ephemeral ports of outgoing connections: take one the OS says is free.
        builder.Services.AddInMemoryDurableTask(DurableTasks.Register, new InMemoryDurableTaskOptions { Port = FreeLoopbackPort() });
        builder.Services.Replace(ServiceDescriptor.Singleton<Microsoft.DurableTask.Testing.Sidecar.InMemoryOrchestrationService>(
            sp => new WideInMemoryOrchestrationService(sp.GetRequiredService<ILoggerFactory>())));
        if (options.RunTimers) builder.Services.AddHostedService<TimerFunctions>();
        options.ConfigureServices?.Invoke(builder.Services);

        var app = builder.Build();
        app.MapFunctions(typeof(HttpPipeline).Assembly);
        return app;
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
