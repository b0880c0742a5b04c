package cn.jcbank.credit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import javax.naming.InitialContext;
import weblogic.jndi.Environment;

/** Loan queries that predate the MyBatis mappers. */
public class LoanDao {
    private static final String OVERDUE =
        "SELECT l.loan_no, NVL(l.overdue_days, 0) AS overdue, " +
        "       DECODE(l.status, 'A', '正常', 'O', '逾期', '结清') AS status_text " +
        "  FROM loans l " +
        " WHERE l.branch_id = ? AND ROWNUM <= 50";

    private static final String NEXT_ID = "SELECT loan_seq.NEXTVAL FROM dual";

    private static final String EXPORT_DIR = "D:\\credit\\export";

    // "SELECT * FROM loans WHERE ROWNUM < 2" was the old probe; kept for history only.

    public Connection connect() throws Exception {
        Environment env = new Environment();
        env.setProviderUrl("t3://credit-app:7001");
        InitialContext ctx = env.getInitialContext();
        javax.sql.DataSource ds = (javax.sql.DataSource) ctx.lookup("jdbc/creditDS");
        return ds.getConnection();
    }

    public PreparedStatement overdue(Connection c) throws Exception {
        return c.prepareStatement(OVERDUE);
    }
}
