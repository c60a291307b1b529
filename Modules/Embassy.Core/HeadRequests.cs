using System.IO.Pipelines;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Embassy.Core;

/// <summary>
/// HEAD wherever GET is (RFC 9110 §9.3.2: the same status and headers, no content). Minimal API routes map GET only;
/// this runs a HEAD request as the GET, with the body discarded, so ETag, Content-Length and caching headers are
/// exactly GET's. Routes that handle HEAD themselves (/media, with ranges) are left to do so.
/// </summary>
public static class HeadRequests
{
    /// <summary>Must come before routing (call UseRouting after it), so that the GET endpoint is the one matched.</summary>
    public static IApplicationBuilder UseHeadAsGet(this IApplicationBuilder app, params string[] handledElsewhere)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.Use(async (context, next) =>
        {
            if (!HttpMethods.IsHead(context.Request.Method) || handledElsewhere.Any(p => context.Request.Path.StartsWithSegments(p)))
            {
                await next(context);
                return;
            }
            var body = context.Features.Get<IHttpResponseBodyFeature>()!;
            var discarded = new DiscardedBody(body);
            context.Response.RegisterForDispose(discarded);
            context.Request.Method = HttpMethods.Get;
            context.Features.Set<IHttpResponseBodyFeature>(discarded);
            try
            {
                await next(context);
                await discarded.Writer.FlushAsync(context.RequestAborted);
                if (!context.Response.HasStarted && context.Response.ContentLength is null)
                {
                    // What the server would have said for the GET's body, whose length is known only once written.
                    context.Response.ContentLength = discarded.Length;
                }
            }
            finally
            {
                context.Features.Set(body);
                context.Request.Method = HttpMethods.Head;
            }
        });
    }

    /// <summary>A response body that sends the headers as GET would and drops the content.</summary>
    private sealed class DiscardedBody : IHttpResponseBodyFeature, IDisposable
    {
        private readonly IHttpResponseBodyFeature _inner;
        private readonly CountingStream _counter = new();

        public DiscardedBody(IHttpResponseBodyFeature inner)
        {
            _inner = inner;
            Writer = PipeWriter.Create(_counter, new StreamPipeWriterOptions(leaveOpen: true));
        }

        public long Length => _counter.Length;

        public Stream Stream => _counter;

        public PipeWriter Writer { get; }

        public void DisableBuffering() => _inner.DisableBuffering();

        /// <summary>Nothing is sent early: the headers go out when the request ends, with the length of what the GET wrote.</summary>
        public Task StartAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

        public Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default) => Task.CompletedTask;

        public void Dispose() => _counter.Dispose();

        public async Task CompleteAsync() => await Writer.FlushAsync();
    }

    /// <summary>Counts what is written and keeps none of it.</summary>
    private sealed class CountingStream : Stream
    {
        private long _length;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => _length;

        public override long Position { get => _length; set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => _length += count;

        public override void Write(ReadOnlySpan<byte> buffer) => _length += buffer.Length;

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> source, CancellationToken cancellationToken = default)
        {
            _length += source.Length;
            return ValueTask.CompletedTask;
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            _length += count;
            return Task.CompletedTask;
        }
    }
}
