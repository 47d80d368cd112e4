package io.routemq.examples.fleet.stores;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The alerts in a SQL table, on PostgreSQL or MariaDB (the DDL is portable: no identity column, the id is a UUID
 * written by the app, the time is epoch milliseconds).
 */
public final class SqlAlerts implements Alerts {
    private static final Pattern TABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

    private final DataSource database;
    private final String table;
    private final String where;

    /**
     * @param database the app's pool
     * @param table    the table name: letters, digits and {@code _} ({@code alerts} in the app, {@code ALERTS_TABLE})
     * @param where    the database, for messages and the log line (a URL without credentials)
     * @throws IllegalArgumentException when the table name is not a plain SQL name
     */
    public SqlAlerts(DataSource database, String table, String where) {
        if (table == null || !TABLE.matcher(table).matches()) {
            throw new IllegalArgumentException("ALERTS_TABLE '" + table + "' is not a table name: use letters, digits and _ "
                    + "(at most 63, not starting with a digit), such as alerts");
        }
        this.database = Objects.requireNonNull(database, "database");
        this.table = table;
        this.where = where;
    }

    /** The table name. */
    public String table() {
        return table;
    }

    /**
     * Creates the table when it is missing ({@code CREATE TABLE IF NOT EXISTS}, on PostgreSQL and MariaDB).
     *
     * @return this
     * @throws IllegalStateException naming the table and the database when the database refuses or is unreachable
     */
    public SqlAlerts createTable() {
        try (Connection c = database.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS " + table + " ("
                    + "id VARCHAR(36) NOT NULL PRIMARY KEY, "
                    + "fleet_id VARCHAR(64) NOT NULL, "
                    + "truck_id VARCHAR(64) NOT NULL, "
                    + "kind VARCHAR(32) NOT NULL, "
                    + "detail VARCHAR(1000) NOT NULL, "
                    + "created_ms BIGINT NOT NULL)");
            return this;
        } catch (SQLException e) {
            throw new IllegalStateException("alerts: cannot create the table " + table + " in " + where + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void record(Alert alert) {
        try (Connection c = database.getConnection();
             PreparedStatement s = c.prepareStatement("INSERT INTO " + table
                     + " (id, fleet_id, truck_id, kind, detail, created_ms) VALUES (?, ?, ?, ?, ?, ?)")) {
            s.setString(1, alert.id());
            s.setString(2, clip(alert.fleetId(), 64));
            s.setString(3, clip(alert.truckId(), 64));
            s.setString(4, clip(alert.kind(), 32));
            s.setString(5, clip(alert.detail(), 1000));
            s.setLong(6, alert.atMillis());
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("alerts: cannot insert into " + table + " in " + where + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<Alert> latest(int n) {
        try (Connection c = database.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT id, fleet_id, truck_id, kind, detail, created_ms FROM " + table
                     + " ORDER BY created_ms DESC, id LIMIT ?")) {
            s.setInt(1, n);
            List<Alert> out = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(new Alert(r.getString(1), r.getString(2), r.getString(3), r.getString(4), r.getString(5), r.getLong(6)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("alerts: cannot read " + table + " in " + where + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String describe() {
        return "SQL table " + table + " in " + where;
    }

    private static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }
}
