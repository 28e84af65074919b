package dev.lain.records.deployd;

import dev.lain.model.deploy.Assignment;
import dev.lain.model.deploy.EngineStatus;
import dev.lain.model.deploy.InstanceId;
import dev.lain.model.deploy.InstanceStatus;
import dev.lain.model.deploy.NodeInfo;
import dev.lain.model.deploy.NodeMode;
import dev.lain.model.deploy.PodGroupCondition;
import dev.lain.model.deploy.PodGroupRecord;
import dev.lain.model.router.RouterStatus;
import dev.lain.records.StoreChange;
import dev.lain.store.Fence;
import dev.lain.store.KeyValue;
import dev.lain.store.Listing;
import dev.lain.store.Store;
import dev.lain.store.StoreException;
import dev.lain.store.Txn;
import dev.lain.store.TxnResult;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * deployd's records in the store, typed. Every write is a single key or one transaction. The
 * engine's view ({@link #leading}) makes each of its writes conditional on its leadership fence.
 */
public final class DeploydState {
  private final Store store;
  private final Optional<Fence> fence;

  public DeploydState(Store store) {
    this(store, Optional.empty());
  }

  private DeploydState(Store store, Optional<Fence> fence) {
    this.store = store;
    this.fence = fence;
  }

  /**
   * The records as the elected leader writes them: every write carries {@code fence} and fails with
   * {@link dev.lain.store.StoreException.Code#FENCED}, writing nothing, once another leads.
   */
  public static DeploydState leading(Store store, Fence fence) {
    return new DeploydState(store, Optional.of(fence));
  }

  public Store store() {
    return store;
  }

  // ---- pod groups (written by the API) ---------------------------------------------------

  public Optional<Versioned<PodGroupRecord>> podGroup(String name) {
    return store
        .get(DeploydKeys.podGroup(name))
        .map(
            kv ->
                new Versioned<>(
                    DeploydJson.read(kv.value(), PodGroupRecord.class), kv.modRevision()));
  }

  /** Creates a pod group; false if one of that name exists. */
  public boolean createPodGroup(PodGroupRecord record) {
    return commit(podGroupCreation(record).txn()).succeeded();
  }

  /**
   * The writes that create a pod group, on condition that none of that name exists. A pod group
   * removed a moment ago may still have containers named after its versions: the new one numbers
   * its versions on from the old one's, so no container name is ever used twice.
   */
  public StoreChange podGroupCreation(PodGroupRecord record) {
    Optional<KeyValue> retired = store.get(DeploydKeys.retiredVersion(record.name()));
    long last = retired.map(kv -> Long.parseLong(kv.value().strip())).orElse(0L);
    if (record.spec().version() <= last) {
      record = record.withSpec(record.spec().withVersion(last + 1));
    }
    return StoreChange.of(
        List.of(
            new Txn.ModRevisionIs(DeploydKeys.podGroup(record.name()), 0),
            new Txn.ModRevisionIs(
                DeploydKeys.retiredVersion(record.name()),
                retired.map(KeyValue::modRevision).orElse(0L))),
        List.of(new Txn.Put(DeploydKeys.podGroup(record.name()), DeploydJson.write(record))));
  }

  /** Replaces a pod group if nobody changed it since {@code expectedRevision}. */
  public boolean updatePodGroup(PodGroupRecord record, long expectedRevision) {
    return commit(podGroupUpdate(record, expectedRevision).txn()).succeeded();
  }

  public StoreChange podGroupUpdate(PodGroupRecord record, long expectedRevision) {
    return StoreChange.of(
        List.of(new Txn.ModRevisionIs(DeploydKeys.podGroup(record.name()), expectedRevision)),
        List.of(new Txn.Put(DeploydKeys.podGroup(record.name()), DeploydJson.write(record))));
  }

  /** Removes a pod group's desired state and condition; its instances go with the next pass. */
  public boolean removePodGroup(String name) {
    Optional<StoreChange> removal = podGroupRemoval(name);
    removal.ifPresent(change -> commit(Txn.always(change.operations())));
    return removal.isPresent();
  }

  /** The writes that remove the pod group as it is now; empty if there is none. */
  public Optional<StoreChange> podGroupRemoval(String name) {
    return podGroup(name)
        .map(
            current ->
                StoreChange.of(
                    List.of(
                        new Txn.ModRevisionIs(DeploydKeys.podGroup(name), current.modRevision())),
                    List.of(
                        new Txn.Delete(DeploydKeys.podGroup(name)),
                        new Txn.Delete(DeploydKeys.podGroupCondition(name)),
                        new Txn.Put(
                            DeploydKeys.retiredVersion(name),
                            Long.toString(current.value().spec().version())))));
  }

  public void setCondition(String podGroup, PodGroupCondition condition) {
    setConditions(Map.of(podGroup, condition));
  }

  /** Records what the engine says about many pod groups, batched. */
  public void setConditions(Map<String, PodGroupCondition> conditions) {
    List<Txn.Operation> ops = new ArrayList<>();
    conditions.forEach(
        (podGroup, condition) ->
            ops.add(
                new Txn.Put(
                    DeploydKeys.podGroupCondition(podGroup), DeploydJson.write(condition))));
    commitInChunks(ops);
  }

  /** Drops the reports of instances whose agents are gone, batched. */
  public void forgetInstances(List<InstanceStatus> statuses) {
    List<Txn.Operation> ops = new ArrayList<>();
    for (InstanceStatus status : statuses) {
      ops.add(new Txn.Delete(DeploydKeys.instance(status.node(), status.id())));
    }
    commitInChunks(ops);
  }

  // ---- assignments (written by the engine) -----------------------------------------------

  /**
   * Writes assignments and removes others, in as few transactions as the store allows (a plan
   * larger than one transaction is not atomic as a whole; the engine's next pass sees where it
   * stopped).
   */
  public void applyAssignments(List<Assignment> upserts, List<Assignment> removals) {
    List<Txn.Operation> ops = new ArrayList<>();
    for (Assignment a : upserts) {
      ops.add(new Txn.Put(DeploydKeys.assignment(a.node(), a.id()), DeploydJson.write(a)));
    }
    for (Assignment a : removals) {
      ops.add(new Txn.Delete(DeploydKeys.assignment(a.node(), a.id())));
    }
    commitInChunks(ops);
  }

  /** Transactions of one large batch in flight at once (they touch different keys). */
  static final int PARALLEL_CHUNKS = 64;

  private void commitInChunks(List<Txn.Operation> ops) {
    int max = store.maxTransactionOperations();
    if (ops.size() <= max) {
      if (!ops.isEmpty()) {
        commit(Txn.always(ops));
      }
      return;
    }
    // A backend that commits in a round trip each (etcd) groups concurrent transactions into one
    // disk write, so several chunks go at once.
    List<Future<?>> inFlight = new ArrayList<>();
    try (ExecutorService pool =
        Executors.newFixedThreadPool(PARALLEL_CHUNKS, Thread.ofVirtual().factory())) {
      for (int from = 0; from < ops.size(); from += max) {
        List<Txn.Operation> chunk = ops.subList(from, Math.min(ops.size(), from + max));
        inFlight.add(pool.submit(() -> commit(Txn.always(chunk))));
      }
      for (Future<?> f : inFlight) {
        f.get();
      }
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException(StoreException.Code.UNAVAILABLE, "interrupted while writing");
    }
  }

  public List<Assignment> assignmentsOf(String node) {
    return readAll(store.list(DeploydKeys.assignmentsOf(node)), Assignment.class, problems -> {});
  }

  // ---- instances (written by agents) -----------------------------------------------------

  /** An agent's report: statuses that changed and instances it no longer has, batched. */
  public void reportInstances(String node, List<InstanceStatus> changed, List<InstanceId> gone) {
    List<Txn.Operation> ops = new ArrayList<>();
    for (InstanceStatus status : changed) {
      ops.add(
          new Txn.Put(DeploydKeys.instance(status.node(), status.id()), DeploydJson.write(status)));
    }
    for (InstanceId id : gone) {
      ops.add(new Txn.Delete(DeploydKeys.instance(node, id)));
    }
    commitInChunks(ops);
  }

  public List<InstanceStatus> instancesOf(String node) {
    return readAll(store.list(DeploydKeys.instancesOf(node)), InstanceStatus.class, problems -> {});
  }

  // ---- nodes -----------------------------------------------------------------------------

  /** Registers (or re-registers) a node under LAIN's key, keeping no older key of that name. */
  public void registerNode(NodeInfo node) {
    List<Txn.Operation> ops = new ArrayList<>();
    for (KeyValue kv : store.list(DeploydKeys.NODES).entries()) {
      String key = kv.key().substring(DeploydKeys.NODES.length());
      if (key.startsWith(node.name() + ":") && !key.equals(node.key())) {
        ops.add(new Txn.Delete(kv.key()));
      }
    }
    ops.add(new Txn.Put(DeploydKeys.node(node), DeploydJson.write(node)));
    commit(Txn.always(ops));
  }

  public Map<String, NodeInfo> nodes() {
    Map<String, NodeInfo> nodes = new HashMap<>();
    for (NodeInfo node : readAll(store.list(DeploydKeys.NODES), NodeInfo.class, problems -> {})) {
      nodes.put(node.name(), node);
    }
    return nodes;
  }

  /** Marks the node alive for as long as {@code leaseId} lives. */
  public void heartbeat(String node, String value, long leaseId) {
    store.put(DeploydKeys.heartbeat(node), value, leaseId);
  }

  public void setNodeMode(String node, NodeMode mode) {
    commit(
        Txn.always(
            List.of(
                mode == NodeMode.ACTIVE
                    ? new Txn.Delete(DeploydKeys.nodeMode(node))
                    : new Txn.Put(DeploydKeys.nodeMode(node), mode.name()))));
  }

  /** The engine's status, for {@code GET /api/status} and operators. */
  public void putEngineStatus(EngineStatus status) {
    commit(Txn.always(List.of(new Txn.Put(DeploydKeys.ENGINE, DeploydJson.write(status)))));
  }

  /** Commits planned writes (through the fence, if leading); false if a condition failed. */
  public boolean commit(StoreChange change) {
    return commit(change.txn()).succeeded();
  }

  /** A transaction, fenced when this is the leader's view. */
  private TxnResult commit(Txn txn) {
    return fence.isPresent() ? fence.get().commit(store, txn) : store.commit(txn);
  }

  // ---- webrouters -----------------------------------------------------------------------

  /** A webrouter's report, kept while {@code leaseId} lives. */
  public void reportRouter(RouterStatus status, long leaseId) {
    store.put(DeploydKeys.router(status.name()), DeploydJson.write(status), leaseId);
  }

  /** The live webrouters' reports, by name. */
  public List<RouterStatus> routers() {
    return readAll(store.list(DeploydKeys.ROUTERS), RouterStatus.class, problems -> {}).stream()
        .sorted(Comparator.comparing(RouterStatus::name))
        .toList();
  }

  // ---- everything ------------------------------------------------------------------------

  /** Reads every deployd record. */
  public DeploydSnapshot snapshot() {
    Listing deployd = store.list(DeploydKeys.DEPLOYD);
    Listing nodeListing = store.list(DeploydKeys.NODES);
    Listing routerListing = store.list(DeploydKeys.ROUTERS);
    SnapshotBuilder builder = new SnapshotBuilder();
    for (KeyValue kv : deployd.entries()) {
      builder.add(kv.key(), kv.modRevision(), DeploydRecords.decode(kv.key(), kv.value()));
    }
    for (KeyValue kv : nodeListing.entries()) {
      builder.add(kv.key(), kv.modRevision(), DeploydRecords.decode(kv.key(), kv.value()));
    }
    for (KeyValue kv : routerListing.entries()) {
      builder.add(kv.key(), kv.modRevision(), DeploydRecords.decode(kv.key(), kv.value()));
    }
    return builder.build(Math.min(deployd.revision(), nodeListing.revision()));
  }

  private static String lastSegment(String key) {
    return key.substring(key.lastIndexOf('/') + 1);
  }

  private static <T> Optional<T> decode(
      KeyValue kv, Class<T> type, Map<String, String> unreadable) {
    try {
      return Optional.of(DeploydJson.read(kv.value(), type));
    } catch (IllegalArgumentException e) {
      unreadable.put(kv.key(), e.getMessage());
      return Optional.empty();
    }
  }

  private static <T> List<T> readAll(
      Listing listing, Class<T> type, Consumer<Map<String, String>> problems) {
    Map<String, String> unreadable = new HashMap<>();
    List<T> out =
        listing.entries().stream()
            .map(kv -> decode(kv, type, unreadable))
            .flatMap(Optional::stream)
            .toList();
    problems.accept(unreadable);
    return out;
  }

  /** For callers that transform a pod group with retries on concurrent changes. */
  public Optional<PodGroupRecord> updatePodGroup(
      String name, Function<PodGroupRecord, PodGroupRecord> change) {
    for (int attempt = 0; attempt < 10; attempt++) {
      Optional<Versioned<PodGroupRecord>> current = podGroup(name);
      if (current.isEmpty()) {
        return Optional.empty();
      }
      PodGroupRecord next = change.apply(current.get().value());
      if (updatePodGroup(next, current.get().modRevision())) {
        return Optional.of(next);
      }
    }
    throw new IllegalStateException("pod group " + name + " keeps changing; try again");
  }
}
