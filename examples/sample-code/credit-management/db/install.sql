REM 信贷管理系统 安装脚本 (SQL*Plus)
SET ECHO OFF
SET DEFINE ON
PROMPT Installing the credit schema into &&owner -
       (run as the schema owner)
WHENEVER SQLERROR EXIT SQL.SQLCODE

CREATE SEQUENCE loan_seq
  START WITH     100000
  INCREMENT BY   1
  NOCACHE
  NOCYCLE;

CREATE TABLE loans (
  id            NUMBER(18)      PRIMARY KEY,
  loan_no       VARCHAR2(32)    NOT NULL,
  customer_id   NUMBER(18)      NOT NULL,
  branch_id     NUMBER(9)       NOT NULL,
  amount        NUMBER(18, 2),
  status        CHAR(1)         DEFAULT 'A',
  overdue_days  NUMBER,
  contract      CLOB,
  created_on    DATE            DEFAULT SYSDATE
);

CREATE GLOBAL TEMPORARY TABLE tmp_repayments (
  loan_no VARCHAR2(32),
  due     NUMBER(18, 2)
) ON COMMIT DELETE ROWS;

CREATE OR REPLACE VIEW overdue_loans AS
  SELECT loan_no, amount, ADD_MONTHS(created_on, 12) AS maturity
    FROM loans
   WHERE overdue_days > 90;

CREATE PUBLIC SYNONYM loans FOR &&owner..loans;

@@credit_pkg.pks
@@credit_pkg.pkb
