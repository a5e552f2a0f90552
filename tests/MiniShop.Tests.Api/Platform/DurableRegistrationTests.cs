using System.Reflection;
using Microsoft.Azure.Functions.Worker;
using MiniShop.Functions.Durable;
using MiniShop.Functions.Http;

namespace MiniShop.Tests.Api.Platform;

public class DurableRegistrationTests
{
    [Fact]
    public void The_in_process_host_registers_exactly_the_orchestrators_and_activities_the_function_app_declares()
    {
        var declared = typeof(HttpPipeline).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static))
            .Where(m => m.GetParameters().Any(p => p.GetCustomAttribute<OrchestrationTriggerAttribute>() is not null || p.GetCustomAttribute<ActivityTriggerAttribute>() is not null))
            .Select(m => m.GetCustomAttribute<FunctionAttribute>()!.Name)
            .Order().ToList();

        Assert.NotEmpty(declared);
        Assert.Equal(declared, DurableTasks.Names.Order().ToList());
    }
}
