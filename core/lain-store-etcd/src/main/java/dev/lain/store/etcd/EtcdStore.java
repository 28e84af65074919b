package dev.lain.store.etcd;

import dev.lain.store.KeyValue;
import dev.lain.store.Keys;
import dev.lain.store.Lease;
import dev.lain.store.Listing;
import dev.lain.store.Membership;
import dev.lain.store.Quorum;
import dev.lain.store.Store;
import dev.lain.store.StoreException;
import dev.lain.store.StoreMember;
import dev.lain.store.Txn;
import dev.lain.store.TxnResult;
import dev.lain.store.Watch;
import dev.lain.store.WatchListener;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.cluster.Member;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.lease.LeaseGrantResponse;
import io.etcd.jetcd.maintenance.StatusResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The etcd v3 backend ({@code etcd://host:port[,host:port...]}), over jetcd. Every operation maps
 * onto etcd's own: revisions, leases, transactions, compaction and watch history are etcd's, so
 * other etcd clients ({@code etcdctl}) see and make the same changes. Keys and values are stored as
 * their UTF-8 bytes, nothing added.
 *
 * <p>Each call waits at most the operation timeout (10 s by default) and then fails with {@link
 * StoreException.Code#UNAVAILABLE}. Watches outlive connection losses and etcd restarts: see {@link
 * EtcdWatch}.
 */
public final class EtcdStore implements Store {
  /** How long one operation may take before it fails as {@code UNAVAILABLE}. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  private static final ByteSequence ANY_KEY = bytes("/");

  private final EtcdEndpoints endpoints;
  private final Duration timeout;
  private final Client client;
  private final KV kv;
  private final ScheduledExecutorService watchResumer;
  private final Set<EtcdWatch> watches = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  private EtcdStore(EtcdEndpoints endpoints, Duration timeout) {
    this.endpoints = endpoints;
    this.timeout = timeout;
    this.client =
        Client.builder()
            .endpoints(endpoints.clientUrls().toArray(String[]::new))
            // Listings are paged; this covers pages of large values and big watch responses.
            .maxInboundMessageSize(MAX_MESSAGE_BYTES)
            .build();
    this.kv = client.getKVClient();
    this.watchResumer =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("etcd-store-watch-resume").factory());
  }

  /**
   * Opens a store on the etcd cluster named by {@code url}. Connecting is lazy: an unreachable etcd
   * shows as {@code UNAVAILABLE} on the first operation.
   *
   * @throws StoreException with {@link StoreException.Code#INVALID_URL} for a malformed URL
   */
  public static EtcdStore open(String url) {
    return open(url, DEFAULT_TIMEOUT);
  }

  /** Like {@link #open(String)}, with another operation timeout. */
  public static EtcdStore open(String url, Duration timeout) {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("operation timeout must be positive: " + timeout);
    }
    return new EtcdStore(EtcdEndpoints.parse(url), timeout);
  }

  /** etcd's default {@code --max-txn-ops}. */
  @Override
  public int maxTransactionOperations() {
    return 128;
  }

  @Override
  public String backend() {
    return "etcd";
  }

  /** A member that does not tell its status this fast is reported unreachable. */
  private static final Duration MEMBER_STATUS_TIMEOUT = Duration.ofSeconds(2);

  /** How long a membership change waits for etcd to find its members healthy enough. */
  private static final Duration MEMBERSHIP_SETTLE = Duration.ofSeconds(20);

  @Override
  public Optional<Membership> membership() {
    return Optional.of(new EtcdMembership());
  }

  /** etcd's member API; every change is checked against the members' state first. */
  private final class EtcdMembership implements Membership {
    @Override
    public String addLearner(String name, URI peerUrl) {
      ensureOpen();
      List<Member> before = memberList();
      if (before.stream().anyMatch(m -> m.getName().equals(name))) {
        throw new StoreException(
            StoreException.Code.MEMBERSHIP, "etcd has a member named " + name + " already");
      }
      if (before.stream().anyMatch(m -> m.getPeerURIs().contains(peerUrl))) {
        throw new StoreException(
            StoreException.Code.MEMBERSHIP, "an etcd member listens at " + peerUrl + " already");
      }
      // etcd adds a member only once every member has been connected for a while (5 s): a
      // cluster that just started, or just got a member back, answers "unhealthy cluster".
      long deadline = System.nanoTime() + MEMBERSHIP_SETTLE.toNanos();
      while (true) {
        try {
          await(
              client.getClusterClient().addMember(List.of(peerUrl), true),
              "add " + name + " as a learner");
          break;
        } catch (StoreException e) {
          if (!e.getMessage().contains("unhealthy cluster") || System.nanoTime() > deadline) {
            throw e;
          }
          sleep(Duration.ofMillis(500));
        }
      }
      List<String> cluster = new ArrayList<>();
      for (Member m : before) {
        for (URI peer : m.getPeerURIs()) {
          cluster.add(m.getName() + "=" + peer);
        }
      }
      cluster.add(name + "=" + peerUrl);
      return String.join(",", cluster);
    }

    @Override
    public void promote(String name) {
      Member learner = member(name);
      try {
        await(client.getClusterClient().promoteMember(learner.getId()), "promote " + name);
      } catch (StoreException e) {
        if (e.getMessage().contains("in sync") || e.getMessage().contains("not ready")) {
          throw new StoreException(
              StoreException.Code.MEMBERSHIP,
              name + " has not caught up with the leader yet; try again",
              e);
        }
        throw e;
      }
    }

    @Override
    public void remove(String name) {
      Member leaving = member(name);
      Optional<String> problem = Quorum.removalProblem(members(), name);
      if (problem.isPresent()) {
        throw new StoreException(StoreException.Code.MEMBERSHIP, problem.get());
      }
      await(client.getClusterClient().removeMember(leaving.getId()), "remove member " + name);
    }

    private Member member(String name) {
      return memberList().stream()
          .filter(m -> m.getName().equals(name))
          .findFirst()
          .orElseThrow(
              () -> new StoreException(StoreException.Code.MEMBERSHIP, "no etcd member " + name));
    }
  }

  private static void sleep(Duration pause) {
    try {
      Thread.sleep(pause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException(StoreException.Code.UNAVAILABLE, "interrupted", e);
    }
  }

  private List<Member> memberList() {
    return await(client.getClusterClient().listMember(), "list the members").getMembers();
  }

  /** The member list, then each member's own status, asked at its first client URL. */
  @Override
  public List<StoreMember> members() {
    ensureOpen();
    List<Member> members = memberList();
    List<StoreMember> out = new ArrayList<>();
    for (Member m : members) {
      String name =
          m.getName().isEmpty() ? "(not started) " + Long.toHexString(m.getId()) : m.getName();
      if (m.getClientURIs().isEmpty()) {
        out.add(StoreMember.unreachable(name, "", m.isLearner(), "it has not started yet"));
        continue;
      }
      URI url = m.getClientURIs().getFirst();
      String endpoint = url.getHost() + ":" + url.getPort();
      try {
        StatusResponse status =
            await(
                client.getMaintenanceClient().statusMember(endpoint),
                "ask " + name + " its status",
                MEMBER_STATUS_TIMEOUT);
        out.add(
            new StoreMember(
                name,
                url.toString(),
                status.getLeader() == m.getId(),
                status.isLearner(),
                OptionalLong.of(status.getRaftIndex()),
                status.getErrorList().isEmpty()
                    ? Optional.empty()
                    : Optional.of(String.join("; ", status.getErrorList()))));
      } catch (StoreException e) {
        out.add(StoreMember.unreachable(name, url.toString(), m.isLearner(), e.getMessage()));
      }
    }
    return out;
  }

  @Override
  public long revision() {
    ensureOpen();
    GetOption countOnly = GetOption.builder().withCountOnly(true).build();
    return await(kv.get(ANY_KEY, countOnly), "read the revision").getHeader().getRevision();
  }

  @Override
  public Optional<KeyValue> get(String key) {
    Keys.check(key);
    ensureOpen();
    GetResponse response = await(kv.get(bytes(key)), "get " + key);
    return response.getKvs().stream().findFirst().map(EtcdStore::keyValue);
  }

  @Override
  public Listing list(String prefix) {
    Keys.checkPrefix(prefix);
    ensureOpen();
    // Pages keep each response under gRPC's message limit; every page after the first is read at
    // the first page's revision, so the listing is one consistent snapshot.
    ByteSequence end = prefixEnd(bytes(prefix));
    List<KeyValue> entries = new ArrayList<>();
    ByteSequence from = bytes(prefix);
    long revision = 0;
    while (true) {
      GetOption.Builder option =
          GetOption.builder()
              .withRange(end)
              .withSortField(GetOption.SortTarget.KEY)
              .withSortOrder(GetOption.SortOrder.ASCEND)
              .withLimit(LIST_PAGE);
      if (revision != 0) {
        option.withRevision(revision);
      }
      GetResponse page = await(kv.get(from, option.build()), "list " + prefix);
      if (revision == 0) {
        revision = page.getHeader().getRevision();
      }
      page.getKvs().forEach(kv -> entries.add(keyValue(kv)));
      if (!page.isMore() || page.getKvs().isEmpty()) {
        return new Listing(revision, entries);
      }
      byte[] last = page.getKvs().getLast().getKey().getBytes();
      byte[] next = Arrays.copyOf(last, last.length + 1);
      from = ByteSequence.from(next);
    }
  }

  /** The largest gRPC message accepted from etcd. */
  static final int MAX_MESSAGE_BYTES = 64 << 20;

  /** Keys per page of a listing. */
  static final int LIST_PAGE = 500;

  /** The smallest key after every key starting with {@code prefix}. */
  private static ByteSequence prefixEnd(ByteSequence prefix) {
    byte[] end = prefix.getBytes();
    for (int i = end.length - 1; i >= 0; i--) {
      if (end[i] != (byte) 0xff) {
        end[i]++;
        return ByteSequence.from(Arrays.copyOf(end, i + 1));
      }
    }
    // Every byte is 0xff: the range runs to the end of the key space.
    return ByteSequence.from(new byte[] {0});
  }

  @Override
  public long put(String key, String value, long leaseId) {
    Keys.check(key);
    Objects.requireNonNull(value, "value");
    ensureOpen();
    return await(kv.put(bytes(key), bytes(value), putOption(leaseId)), "put " + key)
        .getHeader()
        .getRevision();
  }

  @Override
  public boolean delete(String key) {
    Keys.check(key);
    ensureOpen();
    return await(kv.delete(bytes(key)), "delete " + key).getDeleted() > 0;
  }

  @Override
  public int deletePrefix(String prefix) {
    Keys.checkPrefix(prefix);
    ensureOpen();
    DeleteOption option = DeleteOption.builder().isPrefix(true).build();
    return Math.toIntExact(
        await(kv.delete(bytes(prefix), option), "delete prefix " + prefix).getDeleted());
  }

  @Override
  public TxnResult commit(Txn txn) {
    ensureOpen();
    List<Cmp> conditions = new ArrayList<>();
    for (Txn.Condition condition : txn.conditions()) {
      conditions.add(
          switch (condition) {
            // A key that does not exist has version 0 (etcd compares it as an empty key).
            case Txn.ModRevisionIs is when is.modRevision() == 0 ->
                new Cmp(bytes(is.key()), Cmp.Op.EQUAL, CmpTarget.version(0));
            case Txn.ModRevisionIs is ->
                new Cmp(bytes(is.key()), Cmp.Op.EQUAL, CmpTarget.modRevision(is.modRevision()));
            // etcd never matches a value comparison on a missing key, as ValueIs requires.
            case Txn.ValueIs is ->
                new Cmp(bytes(is.key()), Cmp.Op.EQUAL, CmpTarget.value(bytes(is.value())));
          });
    }
    List<Op> operations = new ArrayList<>();
    for (Txn.Operation operation : txn.operations()) {
      operations.add(
          switch (operation) {
            case Txn.Put put ->
                Op.put(bytes(put.key()), bytes(put.value()), putOption(put.leaseId()));
            case Txn.Delete delete -> Op.delete(bytes(delete.key()), DeleteOption.DEFAULT);
          });
    }
    TxnResponse response =
        await(
            kv.txn()
                .If(conditions.toArray(Cmp[]::new))
                .Then(operations.toArray(Op[]::new))
                .commit(),
            "transaction on " + keysOf(txn));
    return new TxnResult(response.isSucceeded(), response.getHeader().getRevision());
  }

  @Override
  public Watch watch(String prefix, long fromRevision, WatchListener listener) {
    Keys.checkPrefix(prefix);
    Objects.requireNonNull(listener, "listener");
    if (fromRevision < 0) {
      throw new IllegalArgumentException("negative revision " + fromRevision);
    }
    ensureOpen();
    long from = fromRevision == 0 ? revision() + 1 : fromRevision;
    EtcdWatch watch =
        new EtcdWatch(
            client.getWatchClient(),
            bytes(prefix),
            prefix,
            from,
            listener,
            watchResumer,
            this::describe,
            watches::remove);
    watches.add(watch);
    watch.start();
    if (closed) {
      // Closed while we were starting: close() may have missed it.
      watch.endWith(closedException());
    }
    return watch;
  }

  @Override
  public Lease grantLease(Duration ttl) {
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("lease TTL must be positive: " + ttl);
    }
    ensureOpen();
    // etcd counts TTLs in whole seconds; round up so a lease never lives shorter than asked.
    long seconds = Math.max(1, (ttl.toMillis() + 999) / 1000);
    LeaseGrantResponse response =
        await(client.getLeaseClient().grant(seconds), "grant a lease of " + seconds + " s");
    return new Lease(response.getID(), Duration.ofSeconds(response.getTTL()));
  }

  @Override
  public boolean keepAlive(long leaseId) {
    ensureOpen();
    if (leaseId == Lease.NONE) {
      return false;
    }
    try {
      await(
          client.getLeaseClient().keepAliveOnce(leaseId), "keep lease " + hex(leaseId) + " alive");
      return true;
    } catch (StoreException e) {
      if (e.code() == StoreException.Code.LEASE_NOT_FOUND) {
        return false;
      }
      throw e;
    }
  }

  @Override
  public void revokeLease(long leaseId) {
    ensureOpen();
    if (leaseId == Lease.NONE) {
      return;
    }
    try {
      await(client.getLeaseClient().revoke(leaseId), "revoke lease " + hex(leaseId));
    } catch (StoreException e) {
      if (e.code() != StoreException.Code.LEASE_NOT_FOUND) {
        throw e;
      }
    }
  }

  @Override
  public void compact(long revision) {
    ensureOpen();
    if (revision <= 0) {
      return;
    }
    try {
      await(kv.compact(revision), "compact to revision " + revision);
    } catch (StoreException e) {
      if (e.code() == StoreException.Code.COMPACTED) {
        // Already compacted at or beyond this revision: nothing left to discard.
        return;
      }
      if (causeText(e.getCause()).contains("required revision is a future revision")) {
        throw new IllegalArgumentException(
            "cannot compact to future revision " + revision + " (current " + revision() + ")");
      }
      throw e;
    }
  }

  /** Ends every watch (their listeners get {@code onClosed}) and closes the etcd client. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    StoreException cause = closedException();
    for (EtcdWatch watch : List.copyOf(watches)) {
      watch.endWith(cause);
    }
    watches.clear();
    watchResumer.shutdownNow();
    client.close();
  }

  @Override
  public String toString() {
    return "EtcdStore[" + endpoints + "]";
  }

  // ---- helpers ----------------------------------------------------------------------------

  private void ensureOpen() {
    if (closed) {
      throw closedException();
    }
  }

  private static StoreException closedException() {
    return new StoreException(StoreException.Code.CLOSED, "the store is closed");
  }

  /** Waits for an etcd call, mapping every failure onto a {@link StoreException}. */
  private <T> T await(CompletableFuture<T> call, String what) {
    return await(call, what, timeout);
  }

  private <T> T await(CompletableFuture<T> call, String what, Duration timeout) {
    try {
      return call.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      call.cancel(true);
      Thread.currentThread().interrupt();
      throw new StoreException(
          StoreException.Code.UNAVAILABLE, describe(what + ": interrupted while waiting"), e);
    } catch (TimeoutException e) {
      call.cancel(true);
      if (closed) {
        throw closedException();
      }
      throw new StoreException(
          StoreException.Code.UNAVAILABLE,
          describe(what + ": no answer within " + timeout.toMillis() + " ms"),
          e);
    } catch (ExecutionException | CompletionException e) {
      throw failure(what, e.getCause() == null ? e : e.getCause());
    }
  }

  private StoreException failure(String what, Throwable cause) {
    if (closed) {
      return new StoreException(StoreException.Code.CLOSED, "the store is closed", cause);
    }
    String text = causeText(cause);
    if (text.contains("requested lease not found")) {
      return new StoreException(
          StoreException.Code.LEASE_NOT_FOUND,
          describe(what + ": lease not found (expired or revoked)"),
          cause);
    }
    if (text.contains("required revision has been compacted")) {
      return new StoreException(
          StoreException.Code.COMPACTED, describe(what + ": revision compacted"), cause);
    }
    return new StoreException(StoreException.Code.UNAVAILABLE, describe(what + ": " + text), cause);
  }

  /** {@code etcd at <endpoints>: <what>}, the form of every message about this store. */
  String describe(String what) {
    return "etcd at " + endpoints + ": " + what;
  }

  /** The messages of a failure and its causes, outermost first, without repeats. */
  static String causeText(Throwable failure) {
    Set<String> messages = new LinkedHashSet<>();
    for (Throwable t = failure; t != null && messages.size() < 8; t = t.getCause()) {
      if (t instanceof ExecutionException || t instanceof CompletionException) {
        continue;
      }
      messages.add(t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage());
    }
    return String.join(": ", messages);
  }

  private static PutOption putOption(long leaseId) {
    return leaseId == Lease.NONE
        ? PutOption.DEFAULT
        : PutOption.builder().withLeaseId(leaseId).build();
  }

  private static String keysOf(Txn txn) {
    Set<String> keys = new LinkedHashSet<>();
    txn.conditions().forEach(c -> keys.add(c.key()));
    txn.operations().forEach(o -> keys.add(o.key()));
    return keys.isEmpty() ? "no keys" : String.join(", ", keys);
  }

  private static String hex(long leaseId) {
    return Long.toHexString(leaseId);
  }

  static ByteSequence bytes(String text) {
    return ByteSequence.from(text, StandardCharsets.UTF_8);
  }

  static String text(ByteSequence bytes) {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  static KeyValue keyValue(io.etcd.jetcd.KeyValue kv) {
    return new KeyValue(
        text(kv.getKey()),
        text(kv.getValue()),
        kv.getCreateRevision(),
        kv.getModRevision(),
        kv.getVersion(),
        kv.getLease());
  }
}
