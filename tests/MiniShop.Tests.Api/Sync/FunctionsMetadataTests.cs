using System.Reflection;
using System.Text.Json;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Extensions.Abstractions;
using MiniShop.Functions.Features.Sync;

namespace MiniShop.Tests.Api.Sync;

/// <summary>
/// What the Functions host would read: the functions.metadata the worker SDK generated for this build. The Service Bus
/// triggers must come out as serviceBusTrigger bindings of the real extension's shape (docs/erp-wms.md), whether the
/// attribute is the project-local one (local builds) or the real package's (deployment builds).
/// </summary>
public sealed class FunctionsMetadataTests
{
    private static readonly Lazy<JsonElement> Metadata = new(() =>
    {
        // This test project builds the function app in the same configuration, so its output sits beside ours.
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name; // bin/<Configuration>/net10.0
        var path = Path.Combine(RepoRoot(), "functions", "MiniShop.Functions", "bin", configuration, "net10.0", "functions.metadata");
        Assert.True(File.Exists(path), $"{path} is missing: build functions/MiniShop.Functions first");
        return JsonDocument.Parse(File.ReadAllText(path)).RootElement.Clone();
    });

    [Theory]
    [InlineData(nameof(SyncDeliveryFunctions.DeliverOrderEventsToErp), "orders", "erp")]
    [InlineData(nameof(SyncDeliveryFunctions.DeliverOrderEventsToWms), "orders", "wms")]
    [InlineData(nameof(SyncDeliveryFunctions.DeliverInventoryEventsToErp), "inventory", "erp")]
    [InlineData(nameof(SyncDeliveryFunctions.DeliverLogisticsEventsToErp), "logistics", "erp")]
    public void Each_delivery_function_has_a_session_enabled_service_bus_trigger_on_its_subscription(string function, string topic, string subscription)
    {
        var entry = Metadata.Value.EnumerateArray().Single(f => f.GetProperty("name").GetString() == function);
        var binding = Assert.Single(entry.GetProperty("bindings").EnumerateArray());

        Assert.Equal($"MiniShop.Functions.Features.Sync.SyncDeliveryFunctions.{function}", entry.GetProperty("entryPoint").GetString());
        Assert.Equal("serviceBusTrigger", binding.GetProperty("type").GetString());
        Assert.Equal("In", binding.GetProperty("direction").GetString());
        Assert.Equal("message", binding.GetProperty("name").GetString());
        Assert.Equal(topic, binding.GetProperty("topicName").GetString());
        Assert.Equal(subscription, binding.GetProperty("subscriptionName").GetString());
        Assert.Equal("ServiceBus", binding.GetProperty("connection").GetString());
        Assert.True(binding.GetProperty("isSessionsEnabled").GetBoolean());
        Assert.False(binding.GetProperty("autoCompleteMessages").GetBoolean());
        Assert.Equal("One", binding.GetProperty("cardinality").GetString());
        Assert.False(binding.TryGetProperty("queueName", out _));
    }

    [Fact]
    public void The_metadata_was_generated_for_every_function_not_just_some()
    {
        // The generator drops ALL metadata when it crashes (the IsBatched [DefaultValue] trap): count the HTTP ones too.
        var names = Metadata.Value.EnumerateArray().Select(f => f.GetProperty("name").GetString()).ToList();
        var declared = typeof(SyncDeliveryFunctions).Assembly.GetTypes().SelectMany(t => t.GetMethods())
            .Count(m => m.GetCustomAttribute<FunctionAttribute>() is not null);

        Assert.Equal(declared, names.Count);
        Assert.Contains("AdminListDeadLetters", names);
        Assert.Contains("ErpStockWebhook", names);
    }

    [Fact]
    public void The_trigger_attribute_has_the_real_extensions_shape()
    {
        var type = typeof(ServiceBusTriggerAttribute);

        Assert.Equal("Microsoft.Azure.Functions.Worker", type.Namespace);
        Assert.True(typeof(TriggerBindingAttribute).IsAssignableFrom(type));
        Assert.True(typeof(ISupportCardinality).IsAssignableFrom(type));
        Assert.NotNull(type.GetConstructor([typeof(string)]));
        Assert.NotNull(type.GetConstructor([typeof(string), typeof(string)]));
        foreach (var name in new[] { "Connection", "QueueName", "TopicName", "SubscriptionName", "IsSessionsEnabled", "IsBatched", "AutoCompleteMessages" })
            Assert.NotNull(type.GetProperty(name));
        var isBatchedDefault = type.GetProperty("IsBatched")!.GetCustomAttributes().Single(a => a.GetType().Name == "DefaultValueAttribute");
        Assert.Equal("Microsoft.Azure.Functions.Worker.Extensions.Abstractions", isBatchedDefault.GetType().Namespace);
    }

    [Fact]
    public void A_local_build_declares_no_service_bus_host_extension()
    {
        // [assembly: ExtensionInformation("Microsoft.Azure.WebJobs.Extensions.ServiceBus", ...)] would make the build restore a
        // package the mirror does not serve. Only the real package (deployment builds) brings it.
        var local = typeof(ServiceBusTriggerAttribute).Assembly == typeof(SyncDeliveryFunctions).Assembly;
        var declared = typeof(SyncDeliveryFunctions).Assembly.GetCustomAttributes<ExtensionInformationAttribute>()
            .Any(a => a.ExtensionPackage.Contains("ServiceBus", StringComparison.Ordinal));

        Assert.True(local, "this test run expects the local build (UseRealServiceBusExtension=false)");
        Assert.False(declared);
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Functions.sln"))) return dir.FullName;
        throw new InvalidOperationException("No Functions.sln above the test output.");
    }
}
