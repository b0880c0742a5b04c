@echo off
REM 夜间批处理：导出当日放款
set EXPORT=D:\credit\export
sqlplus credit/%PASSWORD%@CREDIT @D:\credit\db\export.sql
xcopy %EXPORT% \\fileserver\credit\ /E /Y
