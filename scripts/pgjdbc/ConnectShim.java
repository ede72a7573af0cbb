/*
 * pgJDBC connections for the sslmode oracle (tests/oracle/sslmode-pgjdbc.test.ts).
 *
 * Reads lines "HOME<TAB>URL" from standard input. For each, sets user.home (where pgJDBC looks for
 * ~/.postgresql/root.crt) and connects with DriverManager.getConnection(URL), as an application does, asks the
 * server whether the connection is encrypted, and prints one JSON object per line: {"connected", "encrypted",
 * "protocol"?} or {"connected": false, "encrypted": false, "error": getMessage(), "type": the exception's class}.
 * "--versions" prints the driver's and the JVM's versions.
 */
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

public final class ConnectShim {
  private ConnectShim() {}

  static String json(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') b.append('\\').append(c);
      else if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
      else b.append(c);
    }
    return b.append('"').toString();
  }

  static String attempt(String url) {
    try (Connection conn = DriverManager.getConnection(url);
        Statement st = conn.createStatement();
        ResultSet rs = st.executeQuery("select ssl, version from pg_stat_ssl where pid = pg_backend_pid()")) {
      rs.next();
      String version = rs.getString(2);
      return "{\"connected\":true,\"encrypted\":" + rs.getBoolean(1)
          + (version != null ? ",\"protocol\":" + json(version) : "") + "}";
    } catch (Exception e) {
      String message = e.getMessage() == null ? "" : e.getMessage();
      return "{\"connected\":false,\"encrypted\":false,\"error\":" + json(message) + ",\"type\":"
          + json(e.getClass().getName()) + "}";
    }
  }

  public static void main(String[] args) throws Exception {
    if (args.length == 1 && args[0].equals("--versions")) {
      java.sql.Driver d = new org.postgresql.Driver();
      System.out.println("{\"pgjdbc\":" + json(d.getMajorVersion() + "." + d.getMinorVersion() + " "
          + org.postgresql.util.DriverInfo.DRIVER_FULL_NAME) + ",\"java\":" + json(System.getProperty("java.version")) + "}");
      return;
    }
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line; (line = in.readLine()) != null; ) {
      int tab = line.indexOf('\t');
      System.setProperty("user.home", line.substring(0, tab));
      System.out.println(attempt(line.substring(tab + 1)));
      System.out.flush();
    }
  }
}
