package kafkasuite;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.Watcher.Event.EventType;
import org.apache.zookeeper.Watcher.Event.KeeperState;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;

/**
 * One broker in ZooKeeper mode: its own session, its registration, its bid for the
 * controller role, and its config-change listener. Watch callbacks only enqueue work; the
 * work runs on one event thread per broker, as Kafka's ControllerEventManager does.
 *
 * Counters are read by the scenarios from other threads, hence atomics and synchronized lists.
 */
final class Broker implements AutoCloseable {
  final int id;
  final ZooKeeper zk;
  final long sessionId;
  volatile String clusterId;

  /** NodeDeleted events seen on /controller. */
  final AtomicInteger controllerDeleted = new AtomicInteger();
  /** How often this broker won the controller election. */
  final AtomicInteger timesElected = new AtomicInteger();
  final AtomicInteger expiredEvents = new AtomicInteger();
  final AtomicInteger disconnectedEvents = new AtomicInteger();
  /** Sequence numbers of the config changes applied, in the order applied. */
  final List<Long> configChangesApplied = Collections.synchronizedList(new ArrayList<>());
  /** The latest topic configs this broker read after a change notification. */
  final Map<String, Map<String, String>> topicConfigs = new ConcurrentHashMap<>();
  final List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
  volatile Controller controller;

  private final ExecutorService events;
  private volatile boolean closed;
  private long lastConfigChange = -1;
  private final Watcher controllerWatcher = this::onControllerEvent;
  private final Watcher configWatcher = e -> {
    if (e.getType() == EventType.NodeChildrenChanged) submit(this::processConfigChanges);
  };

  private Broker(int id, ZooKeeper zk) {
    this.id = id;
    this.zk = zk;
    this.sessionId = zk.getSessionId();
    this.events = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "broker-" + id);
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Connects, registers /brokers/ids/<id>, starts listening and bids for controller.
   * A duplicate id fails with NodeExistsException and leaves no session behind.
   */
  static Broker start(int id, String connect, int sessionTimeoutMs) throws Exception {
    Broker[] self = new Broker[1];
    CountDownLatch ready = new CountDownLatch(1);
    ZooKeeper zk = Zk.connect(connect, sessionTimeoutMs, e -> {
      try {
        ready.await();
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
      }
      if (self[0] != null) self[0].onSessionEvent(e);
    });
    Broker b = new Broker(id, zk);
    self[0] = b;
    ready.countDown();
    try {
      b.clusterId = getOrCreateClusterId(zk);
      b.register();
    } catch (Exception e) {
      b.close();
      throw e;
    }
    b.submit(b::processConfigChanges);
    b.submit(b::elect);
    return b;
  }

  /** Creates /brokers/ids/<id>; NodeExists means another live broker has this id. */
  private void register() throws KeeperException, InterruptedException {
    try {
      Zk.retry(() -> zk.create(ZkData.brokerPath(id), ZkData.brokerInfo(id, 9092 + id),
          ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL));
    } catch (KeeperException.NodeExistsException e) {
      // Unless it is our own create, whose reply a connection loss swallowed.
      Stat s = Zk.retry(() -> zk.exists(ZkData.brokerPath(id), false));
      if (s == null || s.getEphemeralOwner() != sessionId) throw e;
    }
  }

  /** Reads /cluster/id, creating it with a fresh id when absent; racing brokers agree. */
  static String getOrCreateClusterId(ZooKeeper zk) throws KeeperException, InterruptedException {
    while (true) {
      try {
        byte[] data = Zk.retry(() -> zk.getData(ZkData.CLUSTER_ID, false, null));
        return ZkData.parse(data).get("id").asText();
      } catch (KeeperException.NoNodeException e) {
        try {
          String id = UUID.randomUUID().toString();
          Zk.retry(() -> zk.create(ZkData.CLUSTER_ID, ZkData.clusterId(id),
              ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT));
          return id;
        } catch (KeeperException.NodeExistsException lost) {
          // Another broker created it first: read theirs.
        }
      }
    }
  }

  private void onSessionEvent(WatchedEvent e) {
    if (e.getType() != EventType.None) return;
    if (e.getState() == KeeperState.Expired) expiredEvents.incrementAndGet();
    if (e.getState() == KeeperState.Disconnected) disconnectedEvents.incrementAndGet();
  }

  private void onControllerEvent(WatchedEvent e) {
    if (e.getType() == EventType.NodeDeleted) {
      controllerDeleted.incrementAndGet();
      submit(() -> {
        controller = null;  // whoever held the role, it is gone
        elect();
      });
    } else if (e.getType() == EventType.NodeCreated
        || e.getType() == EventType.NodeDataChanged) {
      submit(this::elect);
    }
  }

  /** Races for /controller; the loser (or winner) keeps an exists watch on it. */
  private void elect() throws Exception {
    while (!closed) {
      try {
        zk.create(ZkData.CONTROLLER, ZkData.controller(id), ZooDefs.Ids.OPEN_ACL_UNSAFE,
            CreateMode.EPHEMERAL);
      } catch (KeeperException.NodeExistsException e) {
        Stat s = zk.exists(ZkData.CONTROLLER, controllerWatcher);
        if (s == null) continue;  // deleted in between: race again
        if (s.getEphemeralOwner() != sessionId || controller != null) return;
        // Our own create went through before a lost connection: we won after all.
      } catch (KeeperException.ConnectionLossException e) {
        Thread.sleep(100);
        continue;
      }
      Zk.retry(() -> zk.exists(ZkData.CONTROLLER, controllerWatcher));
      timesElected.incrementAndGet();
      Controller c = new Controller(this);
      controller = c;
      c.onBecome();
      return;
    }
  }

  /** Kafka's change-notification listener: applies new config_change_ nodes in order. */
  private void processConfigChanges() throws KeeperException, InterruptedException {
    List<String> children =
        new ArrayList<>(Zk.retry(() -> zk.getChildren(ZkData.CONFIG_CHANGES, configWatcher)));
    children.sort((a, b) -> Long.compare(ZkData.sequenceNumber(a, ZkData.CONFIG_CHANGE_PREFIX),
        ZkData.sequenceNumber(b, ZkData.CONFIG_CHANGE_PREFIX)));
    for (String c : children) {
      long seq = ZkData.sequenceNumber(c, ZkData.CONFIG_CHANGE_PREFIX);
      if (seq <= lastConfigChange) continue;
      byte[] change = Zk.retry(() -> zk.getData(ZkData.CONFIG_CHANGES + "/" + c, false, null));
      String entity = ZkData.parse(change).get("entity_path").asText();
      byte[] config = Zk.retry(() -> zk.getData(ZkData.CONFIG + "/" + entity, false, null));
      Map<String, String> values = new java.util.TreeMap<>();
      ZkData.parse(config).get("config").fields().forEachRemaining(
          f -> values.put(f.getKey(), f.getValue().asText()));
      topicConfigs.put(entity, values);
      configChangesApplied.add(seq);
      lastConfigChange = seq;
    }
  }

  /** Leader-side ISR change: a conditional setData on the state's expected version. */
  Stat updateIsr(String topic, int partition, List<Integer> isr, int expectedVersion)
      throws KeeperException, InterruptedException {
    Stat stat = new Stat();
    ZkData.LeaderAndIsr cur =
        ZkData.LeaderAndIsr.decode(zk.getData(ZkData.statePath(topic, partition), false, stat));
    ZkData.LeaderAndIsr next = new ZkData.LeaderAndIsr(cur.leader(), cur.leaderEpoch(),
        List.copyOf(isr), cur.controllerEpoch());
    return zk.setData(ZkData.statePath(topic, partition), next.encode(), expectedVersion);
  }

  /** Announces ISR changes to the controller; returns the notification's name. */
  String notifyIsrChange(String topic, List<Integer> partitions)
      throws KeeperException, InterruptedException {
    String path = zk.create(ZkData.ISR_CHANGES + "/" + ZkData.ISR_CHANGE_PREFIX,
        ZkData.isrChange(topic, partitions), ZooDefs.Ids.OPEN_ACL_UNSAFE,
        CreateMode.PERSISTENT_SEQUENTIAL);
    return path.substring(path.lastIndexOf('/') + 1);
  }

  interface Task {
    void run() throws Exception;
  }

  void submit(Task task) {
    if (closed) return;
    try {
      events.execute(() -> {
        if (closed) return;
        try {
          task.run();
        } catch (KeeperException.SessionExpiredException e) {
          // The session is over; the scenario checks what that means.
        } catch (Exception e) {
          if (!closed) errors.add(e);
        }
      });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // Closed meanwhile.
    }
  }

  /**
   * Returns once every watch event delivered so far has been handled. The async reply is
   * delivered on the client's event thread after any earlier watch event; the work those
   * events queued then runs before our marker task.
   */
  void drain() throws InterruptedException {
    CountDownLatch replied = new CountDownLatch(1);
    zk.exists("/", false, (rc, path, ctx, stat) -> replied.countDown(), null);
    if (!replied.await(Zk.RETRY_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException("broker " + id + ": no reply to the barrier");
    }
    CountDownLatch done = new CountDownLatch(1);
    events.execute(done::countDown);
    if (!done.await(Zk.RETRY_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException("broker " + id + ": event thread is stuck");
    }
  }

  boolean isController() {
    return controller != null;
  }

  /** Ends the session (a clean shutdown): its ephemeral znodes go with it. */
  @Override
  public void close() {
    closed = true;
    controller = null;
    try {
      zk.close();
      events.shutdown();
      events.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
