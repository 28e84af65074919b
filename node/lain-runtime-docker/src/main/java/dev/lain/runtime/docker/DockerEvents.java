package dev.lain.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.EventsCmd;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventActor;
import com.github.dockerjava.api.model.EventType;
import dev.lain.runtime.ContainerEvent;
import dev.lain.runtime.ContainerRuntime;
import dev.lain.runtime.RuntimeFailure;
import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One subscription to dockerd's container events. When the stream breaks (dockerd restarts, the
 * connection drops) it reconnects with a growing pause and asks for the events since the last one
 * it saw, skipping the ones it delivered already.
 *
 * <p>Actions are Docker's first word ({@code health_status: healthy} becomes {@code
 * health_status}); the exec events of health checks are left out, they would wake the agent at
 * every check. Labels are the container's labels, without the attributes Docker adds (name, image,
 * exit code, signal).
 */
final class DockerEvents implements ContainerRuntime.Subscription {
  private static final Logger log = LoggerFactory.getLogger(DockerEvents.class);
  private static final Set<String> DOCKER_ATTRIBUTES =
      Set.of("name", "image", "exitCode", "signal", "execID", "execDuration");
  private static final Duration FIRST_PAUSE = Duration.ofMillis(100);
  private static final Duration LONGEST_PAUSE = Duration.ofSeconds(5);
  private static final Duration OPEN_TIMEOUT = DockerRuntime.CONNECT_TIMEOUT.plusSeconds(5);

  private final DockerClient client;
  private final URI host;
  private final ContainerRuntime.EventListener listener;
  private final Consumer<DockerEvents> onClose;
  private final Object lock = new Object();

  // Guarded by lock.
  private boolean closed;
  private Stream current;
  private Duration pause = FIRST_PAUSE;

  // Touched by one stream thread at a time: a new stream opens only after the old one ended.
  private long lastTimeNano;
  private final Set<String> deliveredAtLastTime = new HashSet<>();
  private final long subscribedAtNano = toNano(Instant.now());

  DockerEvents(
      DockerClient client,
      URI host,
      ContainerRuntime.EventListener listener,
      Consumer<DockerEvents> onClose) {
    this.client = client;
    this.host = host;
    this.listener = listener;
    this.onClose = onClose;
  }

  /**
   * Opens the stream and returns once dockerd has answered, so every event after this returns is
   * delivered.
   *
   * @throws RuntimeFailure {@link RuntimeFailure.Code#UNAVAILABLE} if dockerd does not answer
   */
  void start() {
    Stream stream = open(Optional.empty(), false);
    try {
      boolean answered = stream.started.await(OPEN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      if (answered && stream.failure == null) {
        return;
      }
      close();
      throw new RuntimeFailure(
          RuntimeFailure.Code.UNAVAILABLE,
          "cannot follow the events of dockerd at "
              + host
              + ": "
              + (stream.failure == null
                  ? "no answer within " + OPEN_TIMEOUT.toSeconds() + " s"
                  : DockerRuntime.dockerSays(stream.failure)),
          stream.failure);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close();
      throw new RuntimeFailure(
          RuntimeFailure.Code.UNAVAILABLE, "interrupted while subscribing to " + host, e);
    }
  }

  @Override
  public void close() {
    Stream stream;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      stream = current;
      lock.notifyAll();
    }
    if (stream != null) {
      stream.closeQuietly();
    }
    onClose.accept(this);
  }

  private boolean isClosed() {
    synchronized (lock) {
      return closed;
    }
  }

  private Stream open(Optional<String> since, boolean reconnecting) {
    Stream stream = new Stream(reconnecting);
    EventsCmd cmd = client.eventsCmd().withEventTypeFilter(EventType.CONTAINER);
    since.ifPresent(cmd::withSince);
    synchronized (lock) {
      if (closed) {
        return stream;
      }
      current = stream;
    }
    cmd.exec(stream);
    return stream;
  }

  /** Called on the ended stream's thread: waits a while, then opens the next stream. */
  private void reconnect(Stream ended) {
    Duration wait;
    synchronized (lock) {
      if (closed || current != ended) {
        return;
      }
      wait = pause;
      pause =
          pause.multipliedBy(2).compareTo(LONGEST_PAUSE) > 0
              ? LONGEST_PAUSE
              : pause.multipliedBy(2);
      try {
        lock.wait(wait.toMillis());
      } catch (InterruptedException e) {
        // The stream's thread was interrupted by close(); closed says so.
      }
      if (closed) {
        return;
      }
    }
    long since = lastTimeNano > 0 ? lastTimeNano : subscribedAtNano;
    log.info(
        "events of dockerd at {} ended ({}); reconnecting after {} ms",
        host,
        ended.failure == null ? "end of stream" : DockerRuntime.dockerSays(ended.failure),
        wait.toMillis());
    open(
        Optional.of(since / 1_000_000_000L + "." + String.format("%09d", since % 1_000_000_000L)),
        true);
  }

  private void deliver(Event event) {
    if (event.getType() != null && event.getType() != EventType.CONTAINER) {
      return;
    }
    String action = event.getAction() != null ? event.getAction() : event.getStatus();
    EventActor actor = event.getActor();
    String id = actor != null && actor.getId() != null ? actor.getId() : event.getId();
    if (action == null || id == null) {
      return;
    }
    int colon = action.indexOf(':');
    String word = (colon >= 0 ? action.substring(0, colon) : action).strip();
    if (word.startsWith("exec_")) {
      return;
    }
    long timeNano =
        event.getTimeNano() != null
            ? event.getTimeNano()
            : event.getTime() == null ? 0 : event.getTime() * 1_000_000_000L;
    // A reconnect asks for events since the last one seen: skip those delivered already.
    String key = id + " " + action;
    if (timeNano < lastTimeNano) {
      return;
    }
    if (timeNano == lastTimeNano) {
      if (!deliveredAtLastTime.add(key)) {
        return;
      }
    } else {
      lastTimeNano = timeNano;
      deliveredAtLastTime.clear();
      deliveredAtLastTime.add(key);
    }
    Map<String, String> labels = new HashMap<>();
    if (actor != null && actor.getAttributes() != null) {
      actor
          .getAttributes()
          .forEach(
              (name, value) -> {
                if (!DOCKER_ATTRIBUTES.contains(name) && value != null) {
                  labels.put(name, value);
                }
              });
    }
    if (isClosed()) {
      return;
    }
    try {
      listener.onEvent(new ContainerEvent(id, word, labels));
    } catch (RuntimeException e) {
      // One bad event must not end the subscription: the agent re-reads state anyway.
      log.warn("container event listener failed on {} {}", word, id, e);
    }
  }

  private static long toNano(Instant instant) {
    return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
  }

  /** One HTTP stream of events. */
  private final class Stream extends ResultCallback.Adapter<Event> {
    final CountDownLatch started = new CountDownLatch(1);
    final boolean reconnecting;
    volatile Throwable failure;

    Stream(boolean reconnecting) {
      this.reconnecting = reconnecting;
    }

    @Override
    public void onStart(Closeable stream) {
      super.onStart(stream);
      synchronized (lock) {
        pause = FIRST_PAUSE;
      }
      started.countDown();
    }

    @Override
    public void onNext(Event event) {
      deliver(event);
    }

    @Override
    public void onError(Throwable throwable) {
      boolean wasStarted = started.getCount() == 0;
      failure = throwable;
      started.countDown();
      closeQuietly();
      // A first stream that never opened is start()'s failure to report; later ones retry.
      if (wasStarted || reconnecting) {
        reconnect(this);
      }
    }

    @Override
    public void onComplete() {
      closeQuietly();
      reconnect(this);
    }

    void closeQuietly() {
      try {
        super.close();
      } catch (IOException e) {
        // The stream is ending either way.
      }
    }
  }
}
