package kafkasuite;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.Watcher.Event.KeeperState;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;

/** Connecting, retrying across connection loss, and walking trees: what KafkaZkClient adds. */
final class Zk {
  static final long CONNECT_TIMEOUT_MS = 20_000;
  static final long RETRY_TIMEOUT_MS = 40_000;

  private Zk() {}

  /** A connected handle; `events` also gets the session's state changes. */
  static ZooKeeper connect(String connect, int sessionTimeoutMs, Watcher events)
      throws Exception {
    CountDownLatch connected = new CountDownLatch(1);
    ZooKeeper zk = new ZooKeeper(connect, sessionTimeoutMs, e -> {
      if (e.getState() == KeeperState.SyncConnected) connected.countDown();
      if (events != null) events.process(e);
    });
    if (!connected.await(CONNECT_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
      zk.close();
      throw new IllegalStateException("no connection to " + connect);
    }
    return zk;
  }

  interface Call<T> {
    T run() throws KeeperException, InterruptedException;
  }

  /**
   * Runs `call` until it gets through; a lost connection is retried, as Kafka's
   * retryRequestsUntilConnected does. The session must survive: an expired session is an error.
   */
  static <T> T retry(Call<T> call) throws KeeperException, InterruptedException {
    long deadline = System.currentTimeMillis() + RETRY_TIMEOUT_MS;
    while (true) {
      try {
        return call.run();
      } catch (KeeperException.ConnectionLossException e) {
        if (System.currentTimeMillis() > deadline) throw e;
        Thread.sleep(100);
      }
    }
  }

  /** Creates `path` as a persistent znode unless it exists (a lost reply is fine too). */
  static void ensure(ZooKeeper zk, String path) throws KeeperException, InterruptedException {
    retry(() -> {
      try {
        zk.create(path, null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
      } catch (KeeperException.NodeExistsException e) {
        // Created by someone else, or by us before a connection loss.
      }
      return null;
    });
  }

  static void ensureAll(ZooKeeper zk, List<String> paths)
      throws KeeperException, InterruptedException {
    for (String p : paths) ensure(zk, p);
  }

  /** Deletes `path` and everything under it; missing nodes are fine. */
  static void deleteRecursive(ZooKeeper zk, String path)
      throws KeeperException, InterruptedException {
    List<String> children;
    try {
      children = zk.getChildren(path, false);
    } catch (KeeperException.NoNodeException e) {
      return;
    }
    for (String c : children) deleteRecursive(zk, join(path, c));
    try {
      zk.delete(path, -1);
    } catch (KeeperException.NoNodeException e) {
      // Gone already.
    }
  }

  /** Every znode under `root` (inclusive): its path and the Stat fields all servers must share. */
  static TreeMap<String, String> dump(ZooKeeper zk, String root)
      throws KeeperException, InterruptedException {
    TreeMap<String, String> out = new TreeMap<>();
    dumpInto(zk, root, out);
    return out;
  }

  private static void dumpInto(ZooKeeper zk, String path, TreeMap<String, String> out)
      throws KeeperException, InterruptedException {
    Stat stat = new Stat();
    byte[] data = zk.getData(path, false, stat);
    out.put(path,
        String.format("czxid=%x mzxid=%x pzxid=%x version=%d cversion=%d owner=%x children=%d "
                + "data=%s",
            stat.getCzxid(), stat.getMzxid(), stat.getPzxid(), stat.getVersion(),
            stat.getCversion(), stat.getEphemeralOwner(), stat.getNumChildren(),
            data == null ? "null" : new String(data, java.nio.charset.StandardCharsets.UTF_8)));
    List<String> children = new ArrayList<>(zk.getChildren(path, false));
    Collections.sort(children);
    for (String c : children) dumpInto(zk, join(path, c), out);
  }

  static String join(String parent, String child) {
    return parent.equals("/") ? "/" + child : parent + "/" + child;
  }
}
