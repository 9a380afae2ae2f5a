Attribute VB_Name = "xladdin"
' xladdin：预算绩效评价评分表的“校验”“汇总”按钮（由 xladdin excel-setup 导入本工作簿）。
' 按钮通过 xlwings 的 RunPython 调用 Python 中的 xladdin.xl；需要已安装 Python、xladdin 和 xlwings。
' 本文件为 GBK 编码（中文 Windows 的 VBA 编辑器按此编码导入）。
Option Explicit

' 校验当前评分表：标出有问题的单元格、加批注，生成“校验结果”表。
Sub 校验()
    RunPython "import xladdin.xl; xladdin.xl.check_button()"
End Sub

' 汇总一个文件夹中各部门报送的评分表，完成后打开汇总表。
' 文件夹取自名称“汇总文件夹”所指的单元格（“汇总”表 B3）；未填写时弹出选择文件夹对话框。
Sub 汇总()
    Dim folder As String
    folder = ""
    On Error Resume Next
    folder = Trim(CStr(ThisWorkbook.Names("汇总文件夹").RefersToRange.Value))
    On Error GoTo 0
    If folder = "" Then
#If Mac Then
        MsgBox "请先在“汇总”表的“评分表所在文件夹”中填写文件夹路径，再点“汇总”。", vbInformation, "汇总"
        Exit Sub
#Else
        With Application.FileDialog(4) ' msoFileDialogFolderPicker
            .Title = "选择存放各部门评分表的文件夹"
            .AllowMultiSelect = False
            If .Show <> -1 Then Exit Sub
            folder = .SelectedItems(1)
        End With
        ' 记在“汇总”表 B3；工作簿没有这个单元格时，记为名称“汇总文件夹”的常量
        On Error Resume Next
        ThisWorkbook.Names("汇总文件夹").RefersToRange.Value = folder
        If Err.Number <> 0 Then
            Err.Clear
            ThisWorkbook.Names.Add Name:="汇总文件夹", RefersTo:="=""" & Replace(folder, """", """""") & """"
        End If
        On Error GoTo 0
#End If
    End If
    RunPython "import xladdin.xl; xladdin.xl.consolidate_button()"
End Sub
