CREATE OR REPLACE PACKAGE BODY credit_pkg AS

  TYPE loan_ids_t IS TABLE OF NUMBER INDEX BY PLS_INTEGER;

  PROCEDURE log_event(p_msg VARCHAR2) IS
    PRAGMA AUTONOMOUS_TRANSACTION;
  BEGIN
    INSERT INTO audit_log (msg, logged_on) VALUES (p_msg, SYSTIMESTAMP);
    COMMIT;
  END log_event;

  PROCEDURE close_day(p_day DATE) IS
    v_ids loan_ids_t;
    f     UTL_FILE.FILE_TYPE;
  BEGIN
    SELECT id BULK COLLECT INTO v_ids
      FROM loans
     WHERE TRUNC(created_on) = TRUNC(p_day);
    FORALL i IN 1 .. v_ids.COUNT
      UPDATE loans SET overdue_days = NVL(overdue_days, 0) + 1 WHERE id = v_ids(i);
    f := UTL_FILE.FOPEN('CREDIT_EXPORT', 'close_' || TO_CHAR(p_day, 'YYYYMMDD') || '.txt', 'w');
    UTL_FILE.PUT_LINE(f, 'closed ' || v_ids.COUNT);
    UTL_FILE.FCLOSE(f);
    DBMS_OUTPUT.PUT_LINE('day closed');
    log_event('close_day ' || TO_CHAR(p_day, 'YYYY-MM-DD'));
  END close_day;

END credit_pkg;
/
