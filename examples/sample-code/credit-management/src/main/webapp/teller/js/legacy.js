// 柜面页面脚本（IE 时代）
function signContract(text) {
  var signer = new ActiveXObject("JCBank.UKeySigner");
  return signer.Sign(text);
}

function amountBox() {
  return document.all["amount"];
}

function bindSubmit() {
  var button = document.getElementById("submitBtn");
  button.attachEvent("onclick", function () {
    var branch = window.showModalDialog("pick-branch.html", null, "dialogWidth:480px");
    if (navigator.userAgent.indexOf("MSIE") > -1) {
      document.getElementById("loanForm").fireEvent("onsubmit");
    }
    return branch;
  });
}
