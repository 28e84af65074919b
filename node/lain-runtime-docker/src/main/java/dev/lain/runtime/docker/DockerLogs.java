package dev.lain.runtime.docker;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One container's logs as a stream: docker-java reads Docker's multiplexed frames (stdout and
 * stderr, each with its own header) on its own thread and hands over their payloads, here queued in
 * the order they came, for the reader to take.
 *
 * <p>The queue is bounded, so a slow reader slows the engine's side down instead of filling the
 * heap. Closing the stream closes the HTTP response (docker-java also interrupts its thread), which
 * drops the connection: a followed log holds no connection after its reader is gone.
 */
final class DockerLogs extends InputStream {
  /** Frames in flight; Docker sends about one per line, so this is a few hundred kB at most. */
  private static final int QUEUED_FRAMES = 256;

  private static final byte[] END = new byte[0];
  private static final long OFFER_MILLIS = 100;

  private final String container;
  private final BlockingQueue<byte[]> frames = new ArrayBlockingQueue<>(QUEUED_FRAMES);
  final Callback callback = new Callback();
  private volatile boolean closed;
  private volatile Throwable failure;
  private byte[] current = new byte[0];
  private int offset;
  private boolean ended;

  private final Consumer<DockerLogs> onDone;

  /** {@code onDone} is called once the stream ended or was closed (possibly more than once). */
  DockerLogs(String container, Consumer<DockerLogs> onDone) {
    this.container = Objects.requireNonNull(container, "container");
    this.onDone = Objects.requireNonNull(onDone, "onDone");
  }

  /**
   * Waits until dockerd has answered the request; true if it accepted it, false if it gave no
   * answer in time. A refusal is {@link #failure()}.
   */
  boolean awaitAnswer(long timeout, TimeUnit unit) throws InterruptedException {
    return callback.answered.await(timeout, unit);
  }

  /** Why the stream failed, if it did: Docker's refusal or a broken connection. */
  Throwable failure() {
    return failure;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] buffer, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, buffer.length);
    if (len == 0) {
      return 0;
    }
    while (offset == current.length) {
      if (ended || closed) {
        return -1;
      }
      byte[] next;
      try {
        next = frames.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while reading the logs of " + container);
      }
      if (next == END) {
        ended = true;
        Throwable cause = failure;
        if (cause != null && !closed) {
          throw new IOException(
              "the logs of container "
                  + container
                  + " broke off: "
                  + DockerRuntime.dockerSays(cause),
              cause);
        }
        return -1;
      }
      current = next;
      offset = 0;
    }
    int n = Math.min(len, current.length - offset);
    System.arraycopy(current, offset, buffer, off, n);
    offset += n;
    return n;
  }

  @Override
  public int available() {
    return current.length - offset;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    callback.closeQuietly();
    frames.clear();
    // Wakes a reader blocked in take().
    frames.offer(END);
    onDone.accept(this);
  }

  /** Receives the frames on docker-java's thread. */
  final class Callback extends ResultCallback.Adapter<Frame> {
    final CountDownLatch answered = new CountDownLatch(1);

    @Override
    public void onStart(Closeable stream) {
      super.onStart(stream);
      answered.countDown();
    }

    @Override
    public void onNext(Frame frame) {
      byte[] payload = frame.getPayload();
      if (payload != null && payload.length > 0) {
        hand(payload);
      }
    }

    /** Not the adapter's: it would log a refusal (no such container) as an error. */
    @Override
    public void onError(Throwable throwable) {
      if (!closed) {
        failure = throwable;
      }
      answered.countDown();
      hand(END);
      closeQuietly();
      onDone.accept(DockerLogs.this);
    }

    @Override
    public void onComplete() {
      hand(END);
      closeQuietly();
      onDone.accept(DockerLogs.this);
    }

    /** Queues {@code bytes}, waiting while the reader is behind, unless the stream was closed. */
    private void hand(byte[] bytes) {
      try {
        while (!closed) {
          if (frames.offer(bytes, OFFER_MILLIS, TimeUnit.MILLISECONDS)) {
            return;
          }
        }
      } catch (InterruptedException e) {
        // close() interrupts this thread through docker-java: the reader is gone.
        Thread.currentThread().interrupt();
      }
    }

    void closeQuietly() {
      try {
        super.close();
      } catch (IOException e) {
        // Only releases the connection; the stream is over either way.
      }
    }
  }
}
