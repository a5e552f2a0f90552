using System.Collections.Concurrent;
using Azure.Messaging.ServiceBus;
using Moq;

namespace MiniShop.Tests.Integration.Sync;

/// <summary>
/// A mocked <see cref="ServiceBusClient"/> whose senders behave like topics with duplicate detection: a MessageId
/// seen before is accepted and dropped. <see cref="OnSend"/> can fail or hold a send.
/// </summary>
public sealed class FakeServiceBus
{
    public Mock<ServiceBusClient> Client { get; } = new();

    /// <summary>Every send call, duplicates included: (topic, message).</summary>
    public ConcurrentQueue<(string Topic, ServiceBusMessage Message)> Sends { get; } = new();

    /// <summary>What the topics kept, by MessageId.</summary>
    public ConcurrentDictionary<string, (string Topic, ServiceBusMessage Message)> Accepted { get; } = new();

    public Func<ServiceBusMessage, CancellationToken, Task>? OnSend { get; set; }

    public FakeServiceBus()
    {
        Client.Setup(c => c.CreateSender(It.IsAny<string>())).Returns((string topic) =>
        {
            var sender = new Mock<ServiceBusSender>();
            sender.Setup(s => s.SendMessageAsync(It.IsAny<ServiceBusMessage>(), It.IsAny<CancellationToken>()))
                .Returns(async (ServiceBusMessage m, CancellationToken ct) =>
                {
                    Sends.Enqueue((topic, m));
                    if (OnSend is not null) await OnSend(m, ct);
                    Accepted.TryAdd(m.MessageId, (topic, m));
                });
            return sender.Object;
        });
    }

    public async Task WaitForAcceptedAsync(int count, int timeoutSeconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (Accepted.Count < count)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Expected {count} accepted messages, got {Accepted.Count}.");
            await Task.Delay(50);
        }
    }
}
