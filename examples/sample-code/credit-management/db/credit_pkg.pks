CREATE OR REPLACE PACKAGE credit_pkg AS
  PROCEDURE close_day(p_day DATE);
  PROCEDURE log_event(p_msg VARCHAR2);
END credit_pkg;
/
