Attribute VB_Name = "xladdin"
' xladdin: the macros behind the buttons of the scoring table (their Chinese captions are set by
' xladdin excel-setup). They call Python through xlwings' RunPython (xladdin.xl). This module is ASCII only:
' the Sub names are English and every Chinese text is written as Unicode code points, U("6821 9A8C"),
' so it imports and compiles under any Windows code page (936, 1252, the "Beta: UTF-8" option).
Option Explicit

' The check button: checks this workbook's scoring table, marks the problems, writes the result sheet.
Sub XladdinCheck()
    On Error GoTo Failed
    RunPython "import xladdin.xl; xladdin.xl.check_button()"
    Exit Sub
Failed:
    MsgBox U("65E0 6CD5 8FD0 884C 0020 0050 0079 0074 0068 006F 006E FF08 0078 006C 0077 0069 006E 0067 0073 FF09 FF1A") & Err.Description & U("3002 8BF7 786E 8BA4 672C 673A 5DF2 6309 8BF4 660E 5B89 88C5 0020 0050 0079 0074 0068 006F 006E 3001 0078 006C 0061 0064 0064 0069 006E 0020 548C 0020 0078 006C 0077 0069 006E 0067 0073 FF08 89C1 0020 0052 0045 0041 0044 004D 0045 201C 5728 0020 0045 0078 0063 0065 006C 0020 4E2D 4F7F 7528 201D FF09 3002"), vbExclamation, U("6821 9A8C")
End Sub

' The consolidate button: consolidates a folder of submitted scoring tables and opens the summary.
' The folder comes from the named cell (sheet "summary", B3); when it is blank a folder dialog asks.
Sub XladdinConsolidate()
    Dim folder As String
    On Error GoTo Failed
    folder = ""
    On Error Resume Next
    folder = Trim(CStr(ThisWorkbook.Names(U("6C47 603B 6587 4EF6 5939")).RefersToRange.Value))
    On Error GoTo Failed
    If folder = "" Then
#If Mac Then
        MsgBox U("8BF7 5148 5728 201C 6C47 603B 201D 8868 7684 201C 8BC4 5206 8868 6240 5728 6587 4EF6 5939 201D 4E2D 586B 5199 6587 4EF6 5939 8DEF 5F84 FF0C 518D 70B9 201C 6C47 603B 201D 3002"), vbInformation, U("6C47 603B")
        Exit Sub
#Else
        With Application.FileDialog(4) ' msoFileDialogFolderPicker
            .Title = U("9009 62E9 5B58 653E 5404 90E8 95E8 8BC4 5206 8868 7684 6587 4EF6 5939")
            .AllowMultiSelect = False
            If .Show <> -1 Then Exit Sub
            folder = .SelectedItems(1)
        End With
        ' remember it in B3 of the summary sheet, or as a named constant when the workbook has no such cell
        On Error Resume Next
        ThisWorkbook.Names(U("6C47 603B 6587 4EF6 5939")).RefersToRange.Value = folder
        If Err.Number <> 0 Then
            Err.Clear
            ThisWorkbook.Names.Add Name:=U("6C47 603B 6587 4EF6 5939"), RefersTo:="=""" & Replace(folder, """", """""") & """"
        End If
        On Error GoTo Failed
#End If
    End If
    RunPython "import xladdin.xl; xladdin.xl.consolidate_button()"
    Exit Sub
Failed:
    MsgBox U("65E0 6CD5 8FD0 884C 0020 0050 0079 0074 0068 006F 006E FF08 0078 006C 0077 0069 006E 0067 0073 FF09 FF1A") & Err.Description & U("3002 8BF7 786E 8BA4 672C 673A 5DF2 6309 8BF4 660E 5B89 88C5 0020 0050 0079 0074 0068 006F 006E 3001 0078 006C 0061 0064 0064 0069 006E 0020 548C 0020 0078 006C 0077 0069 006E 0067 0073 FF08 89C1 0020 0052 0045 0041 0044 004D 0045 201C 5728 0020 0045 0078 0063 0065 006C 0020 4E2D 4F7F 7528 201D FF09 3002"), vbExclamation, U("6C47 603B")
End Sub

' Text from Unicode code points written in hex, separated by blanks: U("6821 9A8C") = the word for "check".
Private Function U(ByVal codes As String) As String
    Dim parts() As String, i As Long
    parts = Split(codes, " ")
    For i = LBound(parts) To UBound(parts)
        If Len(parts(i)) > 0 Then U = U & ChrW(CLng("&H" & parts(i)))
    Next i
End Function
