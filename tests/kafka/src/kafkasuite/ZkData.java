package kafkasuite;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The znode paths and JSON payloads Kafka keeps in ZooKeeper (its ZkData), as plain values. */
final class ZkData {
  static final String CLUSTER = "/cluster";
  static final String CLUSTER_ID = "/cluster/id";
  static final String BROKERS = "/brokers";
  static final String BROKER_IDS = "/brokers/ids";
  static final String TOPICS = "/brokers/topics";
  static final String CONTROLLER = "/controller";
  static final String CONTROLLER_EPOCH = "/controller_epoch";
  static final String ISR_CHANGES = "/isr_change_notification";
  static final String ISR_CHANGE_PREFIX = "isr_change_";
  static final String CONFIG = "/config";
  static final String CONFIG_TOPICS = "/config/topics";
  static final String CONFIG_CHANGES = "/config/changes";
  static final String CONFIG_CHANGE_PREFIX = "config_change_";
  static final String ADMIN = "/admin";
  static final String DELETE_TOPICS = "/admin/delete_topics";

  /** The persistent paths a Kafka cluster creates on first start. */
  static final List<String> PERSISTENT_PATHS =
      List.of(CLUSTER, BROKERS, BROKER_IDS, TOPICS, "/brokers/seqid", CONFIG, CONFIG_TOPICS,
          CONFIG_CHANGES, "/config/brokers", ADMIN, DELETE_TOPICS, ISR_CHANGES);

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private ZkData() {}

  static String brokerPath(int id) {
    return BROKER_IDS + "/" + id;
  }

  static String topicPath(String topic) {
    return TOPICS + "/" + topic;
  }

  static String partitionsPath(String topic) {
    return topicPath(topic) + "/partitions";
  }

  static String partitionPath(String topic, int partition) {
    return partitionsPath(topic) + "/" + partition;
  }

  static String statePath(String topic, int partition) {
    return partitionPath(topic, partition) + "/state";
  }

  static String deleteTopicPath(String topic) {
    return DELETE_TOPICS + "/" + topic;
  }

  static String topicConfigPath(String topic) {
    return CONFIG_TOPICS + "/" + topic;
  }

  /** The number after a sequential znode's prefix. */
  static long sequenceNumber(String name, String prefix) {
    return Long.parseLong(name.substring(name.lastIndexOf(prefix) + prefix.length()));
  }

  static byte[] clusterId(String id) {
    return json(map("version", "1", "id", id));
  }

  static byte[] brokerInfo(int id, int port) {
    return json(map("version", 5, "host", "127.0.0.1", "port", port, "endpoints",
        List.of("PLAINTEXT://127.0.0.1:" + port), "jmx_port", -1, "timestamp",
        Long.toString(System.currentTimeMillis()), "listener_security_protocol_map",
        map("PLAINTEXT", "PLAINTEXT"), "features", map()));
  }

  static byte[] controller(int brokerId) {
    return json(map("version", 1, "brokerid", brokerId, "timestamp",
        Long.toString(System.currentTimeMillis())));
  }

  static byte[] epoch(int epoch) {
    return Integer.toString(epoch).getBytes(StandardCharsets.UTF_8);
  }

  static int parseEpoch(byte[] data) {
    return Integer.parseInt(new String(data, StandardCharsets.UTF_8).trim());
  }

  /** Topic assignment, format version 2: partition number to replica list. */
  static byte[] topicAssignment(Map<Integer, List<Integer>> replicas) {
    Map<String, Object> partitions = new LinkedHashMap<>();
    replicas.forEach((p, r) -> partitions.put(Integer.toString(p), r));
    return json(map("version", 2, "partitions", partitions, "adding_replicas", map(),
        "removing_replicas", map()));
  }

  static Map<Integer, List<Integer>> parseTopicAssignment(byte[] data) {
    Map<Integer, List<Integer>> out = new LinkedHashMap<>();
    parse(data).get("partitions").fields().forEachRemaining(
        e -> out.put(Integer.parseInt(e.getKey()), intList(e.getValue())));
    return out;
  }

  /** The leader/ISR record of one partition, as stored in its state znode. */
  record LeaderAndIsr(int leader, int leaderEpoch, List<Integer> isr, int controllerEpoch) {
    byte[] encode() {
      return json(map("controller_epoch", controllerEpoch, "leader", leader, "version", 1,
          "leader_epoch", leaderEpoch, "isr", isr));
    }

    static LeaderAndIsr decode(byte[] data) {
      JsonNode n = parse(data);
      if (n.get("version").asInt() != 1) throw new IllegalStateException("state version");
      return new LeaderAndIsr(n.get("leader").asInt(), n.get("leader_epoch").asInt(),
          intList(n.get("isr")), n.get("controller_epoch").asInt());
    }
  }

  static byte[] isrChange(String topic, List<Integer> partitions) {
    List<Object> list = new ArrayList<>();
    for (int p : partitions) list.add(map("topic", topic, "partition", p));
    return json(map("version", 1, "partitions", list));
  }

  static byte[] topicConfig(Map<String, String> config) {
    return json(map("version", 1, "config", config));
  }

  static byte[] configChange(String entityPath) {
    return json(map("version", 2, "entity_path", entityPath));
  }

  static JsonNode parse(byte[] data) {
    try {
      return MAPPER.readTree(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] json(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<Integer> intList(JsonNode array) {
    List<Integer> out = new ArrayList<>();
    array.forEach(x -> out.add(x.asInt()));
    return out;
  }

  /** An insertion-ordered map from alternating keys and values. */
  static Map<String, Object> map(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
    return m;
  }
}
